"""The people and organisations around a plan: stakeholder groups, stakeholders, memberships."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from actionplan.models.plans import ActionPlan, Jurisdiction, Sector
from core.models import TranslatedContent


class StakeholderGroup(TranslatedContent):
    required_texts = ("name",)  # in at least one language
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        on_delete=models.PROTECT,
        related_name="stakeholder_groups",
        verbose_name=_("jurisdiction"),
    )
    plan = models.ForeignKey(
        ActionPlan,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stakeholder_groups",
        verbose_name=_("plan"),
        help_text=_("Set when the group belongs to one plan, e.g. its endorsers."),
    )
    slug = models.SlugField(_("slug"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=300, blank=True)
    sector = models.CharField(
        _("sector"), max_length=20, choices=Sector, default=Sector.CROSS_SECTOR
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["jurisdiction", "order", "name"]
        verbose_name = _("stakeholder group")
        verbose_name_plural = _("stakeholder groups")
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "slug"], name="group_slug_unique_per_jurisdiction"
            )
        ]

    def __str__(self):
        return self.name


class Stakeholder(TranslatedContent):
    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        ORGANISATION = "organisation", _("Organisation")

    jurisdiction = models.ForeignKey(
        Jurisdiction,
        on_delete=models.PROTECT,
        related_name="stakeholders",
        verbose_name=_("jurisdiction"),
    )
    slug = models.SlugField(_("slug"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.PERSON)
    name = models.CharField(_("name"), max_length=300)
    affiliation = models.CharField(_("affiliation"), max_length=300, blank=True)
    public_role = models.CharField(_("public role"), max_length=300, blank=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector, blank=True)
    country = models.CharField(_("country"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    groups = models.ManyToManyField(
        StakeholderGroup,
        through="Membership",
        related_name="stakeholders",
        verbose_name=_("groups"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "slug"], name="stakeholder_slug_unique_per_jurisdiction"
            )
        ]

    def __str__(self):
        return self.name


class Membership(TranslatedContent):
    group = models.ForeignKey(
        StakeholderGroup, on_delete=models.CASCADE, related_name="memberships"
    )
    stakeholder = models.ForeignKey(
        Stakeholder, on_delete=models.CASCADE, related_name="memberships"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    role = models.CharField(_("role in the group"), max_length=200, blank=True)

    class Meta:
        ordering = ["group", "order", "stakeholder__name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["group", "stakeholder"], name="membership_once")
        ]

    def __str__(self):
        return f"{self.stakeholder} in {self.group}"
