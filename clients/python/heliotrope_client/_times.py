"""Durations and times as people write them: "4h", "1h30m", "2d", "PT4H", timedelta, datetime."""
import datetime
import re

_PART = re.compile(r"(\d+)(ms|d|h|m|s)")
_UNITS = {"ms": datetime.timedelta(milliseconds=1), "d": datetime.timedelta(days=1),
          "h": datetime.timedelta(hours=1), "m": datetime.timedelta(minutes=1), "s": datetime.timedelta(seconds=1)}
_ISO = re.compile(r"P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$", re.I)


def parse_duration(value):
    """A timedelta from a timedelta, seconds (int/float), "4h", "1h30m", "500ms" or ISO "PT4H".

    Raises ValueError with the text and an example of what is understood.
    """
    if isinstance(value, datetime.timedelta):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.timedelta(seconds=value)
    if not isinstance(value, str):
        raise ValueError("%r is not a duration (e.g. '4h', '30m', '1h30m', '2d')" % (value,))
    text = value.strip()
    iso = _ISO.match(text)
    if iso and text.upper() not in ("P", "PT"):
        days, hours, minutes, seconds = (float(g) if g else 0.0 for g in iso.groups())
        return datetime.timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
    total, end = datetime.timedelta(), 0
    for m in _PART.finditer(text):
        if m.start() != end:
            break
        total += int(m.group(1)) * _UNITS[m.group(2)]
        end = m.end()
    if end == 0 or end != len(text):
        raise ValueError("'%s' is not a duration (e.g. '4h', '30m', '1h30m', '2d')" % value)
    return total


def parse_time(value, now):
    """An aware datetime: absolute (datetime, "2026-11-23T02:00:00Z") or relative to now ("24h")."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            raise ValueError("%s has no time zone (use an aware datetime, e.g. tzinfo=timezone.utc)" % value)
        return value
    if isinstance(value, str) and re.match(r"\d{4}-\d\d-\d\d[T ]", value.strip()):
        text = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
        try:
            t = datetime.datetime.fromisoformat(text)
        except ValueError:
            raise ValueError("'%s' is not a time (e.g. '2026-11-23T02:00:00Z')" % value) from None
        if t.tzinfo is None:
            raise ValueError("'%s' has no time zone (e.g. '2026-11-23T02:00:00Z')" % value)
        return t
    try:
        return now + parse_duration(value)
    except ValueError:
        raise ValueError("%r is neither a duration from now (e.g. '24h') nor a time "
                         "(e.g. '2026-11-23T02:00:00Z')" % (value,)) from None
