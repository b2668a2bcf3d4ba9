// Tables on a small screen (issue 19 point 8): a table (or chart) wider than the screen
// scrolls within itself, not the page. Each table in the page's content is put in a
// `.mace-table-scroll` box (mace.scss) unless its template already did; a box that
// actually scrolls becomes a named region that takes the keyboard focus, so that people
// who do not use a mouse can scroll it too (WCAG 2.1.1), and gives it up again when the
// screen is wide enough. Progressive enhancement: without this script the page scrolls.

for (const table of document.querySelectorAll('main table.govuk-table')) {
  if (!table.parentElement.classList.contains('mace-table-scroll')) {
    const box = document.createElement('div')
    box.className = 'mace-table-scroll'
    table.before(box)
    box.append(table)
  }
}
// Templates put a chart or the network view in such a box too.
const boxes = [...document.querySelectorAll('main .mace-table-scroll')]

function label (box) {
  const caption = box.querySelector('caption')
  const name = box.dataset.scrollLabel || (caption ? caption.textContent.trim() : 'Table')
  return `${name} (scrolls sideways)`
}

function update () {
  for (const box of boxes) {
    if (box.scrollWidth > box.clientWidth) {
      box.setAttribute('tabindex', '0')
      box.setAttribute('role', 'region')
      box.setAttribute('aria-label', label(box))
    } else if (box.getAttribute('role') === 'region') {
      box.removeAttribute('tabindex')
      box.removeAttribute('role')
      box.removeAttribute('aria-label')
    }
  }
}

update()
// A box starts or stops scrolling when the screen turns or the fonts arrive.
if ('ResizeObserver' in window) {
  const observer = new ResizeObserver(update)
  for (const box of boxes) {
    observer.observe(box)
    observer.observe(box.firstElementChild)
  }
} else {
  window.addEventListener('resize', update)
}
