"""Load the strategic aims and intervention options of 003 A3 (Child Sexual Exploitation:
Disruption Strategies), in the seed's order and words.

In the seed's table the four options from "Send information report forms to the police
Intelligence Unit" to "Be aware of specific agency responsibility" share a cell with the
options of "Promote positive relationships"; they belong to gathering information, and are
loaded under that aim. The data is frozen here so the migration means the same for ever;
the library is then kept on its page by administrators and managers.
"""

from django.db import migrations

LIBRARY: list[tuple[str, list[str]]] = [
    (
        "Disrupt the young person's relationship with other young people suspected of "
        "introducing them to adults involved in violence, gang activity and sexual "
        "exploitation.",
        [
            "Identify whom the young person is spending time with and recognise negative "
            "relationships.",
            "Prevent visits to the home by other young people who may either deliberately or "
            "unwittingly be recruiting the young person.",
            "Screen the telephone calls to the home.",
            "Complete information report forms on known associates and any risk they pose.",
        ],
    ),
    (
        "Disrupt the young person's contact with adults or young people suspected of being "
        "involved in violence, drugs and sexual exploitation.",
        [
            "Implement the abduction warnings and orders strategy.",
            "Recognise and acknowledge abusive relationships.",
            "Deny individuals suspected of abusing, grooming, or recruiting the young person "
            "access to the children's home.",
            "Secure mobile phones and SIM cards, particularly if supplied by abusers, and pass "
            "them to the police.",
            "Consider removing mobile phones at night for the purpose of charging the "
            "batteries and monitor internet, call and text use.",
        ],
    ),
    (
        "Gather information to assist prosecution and disruption of adults suspected of "
        "being involved in violence, gang activity, drugs and sexual exploitation.",
        [
            "Obtain as much information as possible to identify associates and those who pose "
            "a risk to the young person: full names, nicknames, telephone numbers, addresses "
            "and car registrations.",
            "Keep accurate records and retain the information on the young person's file, "
            "dated and timed, noting who is involved in incidents and any interventions.",
            "Send information report forms to the police Intelligence Unit.",
            "Note down any licensed body or property on the information report form and send "
            "the information to the police Intelligence Unit.",
            "Ensure all locality panel and core group members are updated at meetings and as "
            "information is received.",
            "Be aware of specific agency responsibility and interventions about abduction "
            "orders, licensing remedies and checks on persons.",
        ],
    ),
    (
        "Promote positive relationships with family, friends and carers.",
        [
            "Carers and parents to be actively engaged in searching for the young person, to "
            "show that they care.",
            "Promote positive relationships with family and friends.",
            "Promote the need for carers and parents to show attention.",
            "Encourage honesty. Reinforce the nature of the crime.",
            "Involve parents and the young person in tackling the problem and in core group "
            "meetings where appropriate.",
            "Identify suitable long-term key workers who can befriend the young person.",
        ],
    ),
    (
        "Physically protect the young person.",
        [
            "Physically intervene to prevent the young person running from care, as an "
            "emergency intervention only.",
            "Consider an alternative to repeated physical restraint, which is not a long-term "
            "risk management strategy.",
            "Consider removing and preserving clothing and passing it to the police if it "
            "will aid an investigation.",
            "Use police and social care protection powers as appropriate.",
        ],
    ),
    (
        "Maintain contact whilst absent.",
        [
            "Ring the young person's mobile phone.",
            "Make 24/7 contact available so that the young person does not feel isolated "
            "during evenings or at weekends.",
            "Ensure the numbers of the missing helpline and Childline are in the young "
            "person's phone, or text them to the young person.",
            "Send text messages to the young person, encouraging them to contact you or "
            "another adult.",
            "Consider informing outreach workers; bulletins, border alerts (UKBA/UKHTC) and "
            "agencies in other cities.",
            "Consider publicity and posters if whereabouts are unknown (National Missing "
            "Helpline), designed around the young person.",
            "Follow the children missing from care or home operating procedures.",
        ],
    ),
    (
        "Enhance the return procedure to ensure it is a positive experience.",
        [
            "Identify an individual that the young person respects and wants to talk to, to "
            "conduct the return interview on every occasion wherever possible.",
            "Avoid interviews by police officers that are no more than an admonishment of the "
            "young person.",
            "Arrange independent interviews, preferably by specially trained staff who have a "
            "good relationship with the young person.",
            "Follow return interviews with active support of the young person.",
            "Where the young person is involved in petty offending, consider restorative "
            "justice solutions, as the offending could be symptomatic of abuse.",
        ],
    ),
    (
        "Set clear boundaries to acceptable behaviour and motivate positive behaviour.",
        [
            "Consider reward schemes (money or vouchers).",
            "Be flexible.",
            "Consult the young person and agree rewards and penalties.",
            "Adopt a behaviour management strategy.",
            "Give the young person more independence in response to responsible behaviour.",
        ],
    ),
    (
        "Empower the carer or foster carer.",
        [
            "Raise the awareness of carers and foster carers of relevant policies, "
            "procedures, their responsibilities, duties, legal powers, options and "
            "restrictions.",
            "Consider family support services.",
            "Maintain active support of carers and foster carers.",
            "Raise the awareness of parents to help them identify the signs of child sexual "
            "exploitation.",
            "Consider parenting report forms.",
            "Provide training in self-protection.",
        ],
    ),
    (
        "Build the young person's self-esteem.",
        [
            "Identify and encourage positive activities that build self-esteem at home, "
            "school, leisure or work.",
            "Assist the young person to look at the consequences of their behaviour.",
            "Take time to explain the issues and keep the young person informed.",
            "Involve the young person in looking at alternatives and decision making.",
        ],
    ),
    (
        "Raise the young person's awareness of the dangers.",
        [
            "Work with schools to raise awareness of risk.",
            "Develop or identify websites, aimed at young people, about the dangers of going "
            "missing.",
            "Arrange inputs by professionals to groups or individuals explaining the dangers.",
            "Organise individual or group discussions with adults that the young person "
            "respects.",
            "Facilitate peer mentoring by young people who have been through similar "
            "experiences.",
            "Arrange personal safety training for the young person and family.",
        ],
    ),
    (
        "Consider the health needs of the young person.",
        [
            "Contraceptive advice.",
            "Medical treatment if suffering neglect, injury or poor health.",
            "Therapeutic interventions.",
        ],
    ),
    (
        "Involve the young person in diversionary activities.",
        [
            "Enable the young person to take part in exciting leisure activities such as "
            "drama or dance.",
            "Activity weekends or team building exercises through multi-agency provision.",
            "Arrange work experience opportunities or vocational training.",
            "Use all agencies involved, such as YOS, police, the voluntary sector and "
            "children's social care.",
        ],
    ),
    (
        "Make home a more attractive place to live.",
        [
            "Identify push and pull factors and deal with them.",
            "Tackle relationship problems.",
            "Address domestic abuse issues.",
            "Tackle drug and alcohol problems of other family members.",
            "Consider an alternative placement that gives the young person a feeling of more "
            "independence and responsibility.",
            "Consider a placement that has continuity of staff and extra support for evening "
            "shifts.",
            "Consider an extended stay with a family member in a different city to break the "
            "cycle.",
            "Consider specialist placement options.",
        ],
    ),
    (
        "Achieve normality.",
        [
            "Enforce bed times.",
            "Enforce waking times.",
            "Promote attendance at school.",
            "Encourage the young person to eat together with others at meal times.",
        ],
    ),
    (
        "Make school a more attractive place to go.",
        [
            "Tackle bullying, truancy and peer pressure.",
            "Provide personal, social and health education.",
            "Encourage engagement with alternative and educational provision.",
            "Provide funding for after school activity.",
        ],
    ),
    (
        "Provide specialist support through other agencies.",
        [
            "Sexual, drug and alcohol counselling and other services.",
            "Therapeutic services.",
            "Advocacy services.",
            "Mentoring services.",
            "Child and Adolescent Mental Health Services (CAMHS).",
            "Involve education welfare.",
            "Raise awareness of drop-in support groups.",
            "Refer to youth services.",
            "Refer to the voluntary sector for support.",
            "Positive activities.",
            "Provide self-referral systems so that young people can refer themselves.",
            "Provide parent-referral systems that deal with parents' fears that their "
            "children will be taken into care if they report abuse.",
        ],
    ),
    (
        "Plan on positive change and set small targets to achieve monthly.",
        ["Agree monthly targets with the young person and parents."],
    ),
    (
        "Where a young person is refusing or reluctant to engage, and is involved in "
        "soliciting or grooming peers, ensure all engagement and disruption activities above "
        "have been considered.",
        [
            "Where the police consider criminal action against the young person, consult "
            "partner agencies so that all alternatives have been considered, in line with "
            "guidance on not criminalising young people where possible.",
        ],
    ),
]


def load(apps, schema_editor):
    StrategicAim = apps.get_model("disruption", "StrategicAim")
    InterventionOption = apps.get_model("disruption", "InterventionOption")
    for aim_order, (aim_text, options) in enumerate(LIBRARY, start=1):
        aim, _ = StrategicAim.objects.get_or_create(text=aim_text, defaults={"order": aim_order})
        for order, text in enumerate(options, start=1):
            InterventionOption.objects.get_or_create(aim=aim, text=text, defaults={"order": order})


class Migration(migrations.Migration):
    dependencies = [("disruption", "0001_disruption_plans_and_outcomes")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
