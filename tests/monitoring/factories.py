"""What a monitor posts, for the monitoring and publishing tests."""

from django.urls import reverse

from monitoring.models import Publication


def assessment_data(version=0, **values):
    data = {
        "version": version,
        "verifiability": "verifiable",
        "potential_for_results": "modest",
        "completion": "limited",
        "early_results": "marginal",
        "narrative_en": "Work has started; the first workshop took place.",
        "evidence_links": "",
        "status": Publication.PUBLISHED,
        **{
            f"relevance_{v}": ""
            for v in (
                "access_to_information",
                "civic_participation",
                "public_accountability",
                "technology_innovation",
            )
        },
        "relevance_civic_participation": "True",
        "relevance_civic_participation_explanation_en": "Residents co-design the rules.",
    }
    # A text given by its field's name is its English text, the language the tests read.
    data.update(
        {f"{name}_en" if name == "narrative" else name: value for name, value in values.items()}
    )
    return data


def assessment_url(step):
    kwargs = {"plan_slug": step.plan.slug, "code": step.code}
    return reverse("monitoring:assessment_edit", kwargs=kwargs)
