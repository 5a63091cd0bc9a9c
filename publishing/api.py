"""The read-only JSON API of the open data, with paging, and its OpenAPI 3 description.

The description is generated from publishing.opendata, the same definitions the responses are
built from, so the two cannot drift apart; tests run schemathesis against it.
"""

from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from actionplan.models import ActionPlan
from core.content import columns
from core.http import require_safe
from publishing import opendata

API_VERSION = "1.0.0"
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class BadRequest(Exception):
    pass


def _json(data, status=200):
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    # Open data: any web page may read it.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _error(message, status):
    return _json({"error": message}, status=status)


def api_view(view):
    """Answer the API's errors in JSON, as its description says, instead of HTML pages."""

    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except BadRequest as exc:
            return _error(str(exc), 400)
        except Http404 as exc:
            return _error(str(exc) or _("Not found."), 404)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return require_safe(wrapper)


def _int_param(request, name, default, minimum, maximum):
    raw = request.GET.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(_("%(name)s must be a whole number.") % {"name": name}) from None
    if not minimum <= value <= maximum:
        raise BadRequest(
            _("%(name)s must be between %(min)s and %(max)s.")
            % {"name": name, "min": minimum, "max": maximum}
        )
    return value


def paginate(request, items):
    page_size = _int_param(request, "page_size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)
    count = len(items)
    last_page = max(1, -(-count // page_size))
    page = _int_param(request, "page", 1, 1, 10**6)
    if page > last_page:
        message = _("There is no page %(page)s; the last is %(last)s.")
        raise Http404(message % {"page": page, "last": last_page})

    def link(number):
        if not 1 <= number <= last_page:
            return None
        query = request.GET.copy()
        query["page"] = number
        query["page_size"] = page_size
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    start = (page - 1) * page_size
    return {
        "count": count,
        "page": page,
        "page_size": page_size,
        "next": link(page + 1),
        "previous": link(page - 1),
        "results": items[start : start + page_size],
    }


def _plan_summary(request, plan):
    return {
        "slug": plan.slug,
        "code": plan.code,
        **{column: getattr(plan, column) or "" for column in columns("title")},
        "status": plan.status,
        "period_start": plan.period_start.isoformat(),
        "period_end": plan.period_end.isoformat(),
        "jurisdiction": plan.jurisdiction.name,
        "url": request.build_absolute_uri(plan.get_absolute_url()),
        "datasets": {
            dataset.name: request.build_absolute_uri(
                reverse(
                    "publishing:api_dataset",
                    kwargs={"plan_slug": plan.slug, "dataset": dataset.name},
                )
            )
            for dataset in opendata.DATASETS
        },
    }


def _get_plan(slug):
    plan = ActionPlan.objects.public().select_related("jurisdiction").filter(slug=slug).first()
    if plan is None:
        raise Http404(_("No published plan has this slug."))
    return plan


@api_view
def plans(request):
    """Public plans, newest first."""
    items = [
        _plan_summary(request, plan)
        for plan in ActionPlan.objects.public()
        .select_related("jurisdiction")  # each plan names its city
        .order_by("jurisdiction__name", "-period_start", "pk")
    ]
    return _json(paginate(request, items))


@api_view
def plan(request, plan_slug):
    return _json(_plan_summary(request, _get_plan(plan_slug)))


@api_view
def dataset(request, plan_slug, dataset):
    spec = opendata.BY_NAME.get(dataset)
    if spec is None:
        raise Http404(_("No such dataset."))
    plan = _get_plan(plan_slug)
    return _json(paginate(request, spec.records(spec.rows(plan))))


# --- OpenAPI ------------------------------------------------------------------------------------


def _column_schema(column):
    schema = {"type": column.type, "description": str(column.description)}
    # JSON Schema's "time" demands a UTC offset, which a meeting's local time has not.
    if column.format and column.format != "time":
        schema["format"] = column.format
    if column.enum:
        schema["enum"] = list(column.enum) + ([None] if column.nullable else [])
    if column.nullable:
        schema["nullable"] = True
    return schema


def _schema_name(dataset):
    return dataset.name.title().replace("-", "")


PAGE_PARAMETERS = [
    {
        "name": "page",
        "in": "query",
        "required": False,
        "description": "Page number, from 1.",
        "schema": {"type": "integer", "minimum": 1, "maximum": 10**6, "default": 1},
    },
    {
        "name": "page_size",
        "in": "query",
        "required": False,
        "description": f"Items per page, 1 to {MAX_PAGE_SIZE}.",
        "schema": {
            "type": "integer",
            "minimum": 1,
            "maximum": MAX_PAGE_SIZE,
            "default": DEFAULT_PAGE_SIZE,
        },
    },
]
ERROR_RESPONSE = {"$ref": "#/components/responses/Error"}


def _page_schema(item_ref):
    return {
        "type": "object",
        "required": ["count", "page", "page_size", "next", "previous", "results"],
        "additionalProperties": False,
        "properties": {
            "count": {"type": "integer", "minimum": 0},
            "page": {"type": "integer", "minimum": 1},
            "page_size": {"type": "integer", "minimum": 1},
            "next": {"type": "string", "format": "uri", "nullable": True},
            "previous": {"type": "string", "format": "uri", "nullable": True},
            "results": {"type": "array", "items": {"$ref": item_ref}},
        },
    }


def _json_content(schema):
    return {"application/json": {"schema": schema}}


def openapi_document(request):
    example_plan = ActionPlan.objects.public().order_by("-period_start", "pk").first()
    plan_parameter = {
        "name": "plan_slug",
        "in": "path",
        "required": True,
        "description": "The plan's slug, as in the address of its page.",
        "schema": {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$", "minLength": 1},
    }
    if example_plan:
        plan_parameter["example"] = example_plan.slug
    schemas = {
        "Error": {
            "type": "object",
            "required": ["error"],
            "properties": {"error": {"type": "string"}},
        },
        "Plan": {
            "type": "object",
            "required": [
                "slug",
                "code",
                *columns("title"),
                "status",
                "period_start",
                "period_end",
                "jurisdiction",
                "url",
                "datasets",
            ],
            "additionalProperties": False,
            "properties": {
                "slug": {"type": "string"},
                "code": {"type": "string"},
                **{
                    column: {
                        "type": "string",
                        "description": "The title in this language; empty where not given.",
                    }
                    for column in columns("title")
                },
                "status": {"type": "string", "enum": list(ActionPlan.Status.values)},
                "period_start": {"type": "string", "format": "date"},
                "period_end": {"type": "string", "format": "date"},
                "jurisdiction": {"type": "string"},
                "url": {"type": "string", "format": "uri"},
                "datasets": {
                    "type": "object",
                    "description": "The address of each dataset of the plan in this API.",
                    "additionalProperties": {"type": "string", "format": "uri"},
                },
            },
        },
        "PlanPage": _page_schema("#/components/schemas/Plan"),
    }
    paths = {
        "/plans/": {
            "get": {
                "operationId": "listPlans",
                "summary": "Public action plans",
                "parameters": PAGE_PARAMETERS,
                "responses": {
                    "200": {
                        "description": "A page of plans.",
                        "content": _json_content({"$ref": "#/components/schemas/PlanPage"}),
                    },
                    "400": ERROR_RESPONSE,
                    "404": ERROR_RESPONSE,
                },
            }
        },
        "/plans/{plan_slug}/": {
            "get": {
                "operationId": "getPlan",
                "summary": "One plan, with the addresses of its datasets",
                "parameters": [plan_parameter],
                "responses": {
                    "200": {
                        "description": "The plan.",
                        "content": _json_content({"$ref": "#/components/schemas/Plan"}),
                    },
                    "404": ERROR_RESPONSE,
                },
            }
        },
    }
    for spec in opendata.DATASETS:
        name = _schema_name(spec)
        schemas[name] = {
            "type": "object",
            "description": str(spec.description),
            "required": [column.name for column in spec.columns],
            "additionalProperties": False,
            "properties": {column.name: _column_schema(column) for column in spec.columns},
        }
        schemas[f"{name}Page"] = _page_schema(f"#/components/schemas/{name}")
        paths[f"/plans/{{plan_slug}}/{spec.name}/"] = {
            "get": {
                "operationId": f"list{name}",
                "summary": str(spec.title),
                "description": str(spec.description),
                "parameters": [plan_parameter, *PAGE_PARAMETERS],
                "responses": {
                    "200": {
                        "description": f"A page of {spec.name}.",
                        "content": _json_content({"$ref": f"#/components/schemas/{name}Page"}),
                    },
                    "400": ERROR_RESPONSE,
                    "404": ERROR_RESPONSE,
                },
            }
        }
    base = reverse("publishing:api_plans").removesuffix("/plans/")
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Open government action plans: open data",
            "version": API_VERSION,
            "description": (
                "Read-only data of the published action plans: steps, milestones, status "
                "history, public meetings and annotations, and the monitoring body's published "
                "assessments and reports. Drafts and board-only content are never included."
            ),
            "license": {"name": opendata.LICENCE_NAME, "url": opendata.LICENCE_URL},
        },
        "servers": [{"url": base}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "responses": {
                "Error": {
                    "description": "The error, in English or the page's language.",
                    "content": _json_content({"$ref": "#/components/schemas/Error"}),
                },
            },
        },
    }


@require_safe
def openapi(request):
    return _json(openapi_document(request))
