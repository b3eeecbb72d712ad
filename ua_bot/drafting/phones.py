"""Phone and fax numbers: E.164 for links and storage, the form a person reads, local time."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import phonenumbers
from phonenumbers import geocoder
from phonenumbers import timezone as pn_timezone

OFFICE_START = 9
OFFICE_END = 17


def parse(number: str) -> phonenumbers.PhoneNumber | None:
    try:
        n = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return None
    return n if phonenumbers.is_possible_number(n) else None


def e164(number: str) -> str:
    """``+12024952266``; the number as written when it cannot be parsed."""
    n = parse(number)
    if n is None:
        return number.replace(" ", "")
    return phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.E164)


def readable(number: str) -> str:
    """``+86 10 6238 1025``: the international format people read; as written if unparsable."""
    n = parse(number)
    if n is None:
        return number.strip()
    return phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def zone_for(number: str) -> ZoneInfo | None:
    """The number's time zone when it has exactly one known zone."""
    n = parse(number)
    if n is None:
        return None
    zones = {z for z in pn_timezone.time_zones_for_number(n) if z != "Etc/Unknown"}
    if len(zones) != 1:
        return None
    try:
        return ZoneInfo(zones.pop())
    except (KeyError, ValueError, OSError):
        return None


def place(number: str) -> str:
    """Where the number is, in English ("Beijing", "Washington D.C."); "" when unknown."""
    n = parse(number)
    return geocoder.description_for_number(n, "en") if n is not None else ""


def local_time(number: str, now: dt.datetime) -> dt.datetime | None:
    zone = zone_for(number)
    return now.astimezone(zone) if zone else None


def in_office_hours(local: dt.datetime) -> bool:
    """Monday to Friday, 9:00 to 17:00."""
    return local.weekday() < 5 and OFFICE_START <= local.hour < OFFICE_END
