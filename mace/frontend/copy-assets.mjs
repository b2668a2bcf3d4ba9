// Copies the GOV.UK and MoJ Frontend fonts, images and scripts into build/static, so
// that MACE serves every asset itself and needs no network at run time.
import { cpSync, mkdirSync } from "node:fs";

const out = "build/static";
const copies = [
  ["node_modules/govuk-frontend/dist/govuk/assets", `${out}/govuk/assets`],
  ["node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js", `${out}/govuk/govuk-frontend.min.js`],
  ["node_modules/@ministryofjustice/frontend/moj/assets", `${out}/moj/assets`],
  ["node_modules/@ministryofjustice/frontend/moj/moj-frontend.min.js", `${out}/moj/moj-frontend.min.js`],
];
mkdirSync(out, { recursive: true });
for (const [from, to] of copies) {
  cpSync(from, to, { recursive: true });
}
