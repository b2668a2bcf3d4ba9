"""What kind of record an audit entry is about, in words (issue 19 point 10): "Missing
episode", not "episodes.episode".

An entry keeps the record's type as `app_label.model` (AuditEvent.object_type), which is what
searching and the policy read. People read a label: the model's own verbose name, unless it
says too little to someone outside the code (`LABELS`). A type that names no model (an export,
a token) has its own label here, or reads as the words of its name.
"""

from django.apps import apps

LABELS = {
    "accounts.user": "User account",
    "configuration.partnershipsetting": "Partnership setting",
    "education.cmecase": "Child missing education case",
    "education.cmecheck": "Check on a child missing education",
    "episodes.episode": "Missing episode",
    "episodes.episode_with_children": "Missing together with another child's episode",
    "episodes.episodenotification": "Who was told of an episode",
    "episodes.riskgrading": "Police risk grade",
    "exploitation.assessment": "Exploitation risk assessment",
    "exploitation.assessmentdraft": "Draft exploitation risk assessment",
    "exploitation.instrument": "Risk assessment instrument",
    "interviews.interviewtheme": "Return interview theme",
    "interviews.returninterview": "Return home interview",
    "interviews.safeandwellcheck": "Safe-and-well interview",
    "knox.authtoken": "API token",
    "people.child": "Child's record",
    "people.childdescription": "Child's physical description",
    "people.childphotograph": "Child's photograph",
    "people.duplicatereview": "Possible duplicate records",
    "report.annual": "Annual report",
    "report.dataset": "Report data set",
    "reports.episodefact": "Reporting table row",
    "retention.retentionreview": "Retention review",
    "worklist.recordedgolive": "Go-live record",
}


def record_type(object_type: str) -> str:
    """The label of an audit entry's record type."""
    if object_type in LABELS:
        return LABELS[object_type]
    try:
        words = str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        words = object_type.rpartition(".")[2].replace("_", " ")
    return words[:1].upper() + words[1:]
