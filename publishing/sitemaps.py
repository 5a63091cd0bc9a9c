"""What the sitemap lists of the publishing pages."""

# The pages every public plan has here; portal/sitemaps.py lists them with the other apps'.
PLAN_PAGES = ("publishing:progress_report", "publishing:open_data")
