"""Days and moments in the site's time zone."""

import datetime

from django.utils import timezone


def end_of_day(day):
    """The last moment of `day` in the site's time zone: records made that day count as of it."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))
