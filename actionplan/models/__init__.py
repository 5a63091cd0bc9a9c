"""The action plan's models, one module per concern; everything is importable from here."""

from actionplan.models.history import (
    Evidence,
    EvidenceItem,
    StepChange,
    StepUpdate,
    TextRevision,
    evidence_file_name,
)
from actionplan.models.periods import Challenge, PeriodReport, ReportEvidence, ReportingPeriod
from actionplan.models.plans import (
    LANGUAGE_CHOICES,
    ActionPlan,
    ActionStep,
    Institution,
    Jurisdiction,
    Milestone,
    OgpValue,
    Priority,
    Sector,
    StepInstitution,
)
from actionplan.models.roles import PLAN_SCOPED_ROLES, Affiliation, PlanRole, Role
from actionplan.models.stakeholders import Membership, Stakeholder, StakeholderGroup

__all__ = [
    "LANGUAGE_CHOICES",
    "PLAN_SCOPED_ROLES",
    "ActionPlan",
    "ActionStep",
    "Affiliation",
    "Challenge",
    "Evidence",
    "EvidenceItem",
    "Institution",
    "Jurisdiction",
    "Membership",
    "Milestone",
    "OgpValue",
    "PeriodReport",
    "PlanRole",
    "Priority",
    "ReportEvidence",
    "ReportingPeriod",
    "Role",
    "Sector",
    "Stakeholder",
    "StakeholderGroup",
    "StepChange",
    "StepInstitution",
    "StepUpdate",
    "TextRevision",
    "evidence_file_name",
]
