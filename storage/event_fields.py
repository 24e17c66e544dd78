"""The one specification of an event's typed-in fields: name and length.

The model sizes its columns from it, the modal caps its inputs with it, and validation
checks submissions against it, so what the form accepts is what the database holds.
Also named here: the co-hosts (people chosen, not text typed in), and which fields make up
an event's time and its place, the two things attendees are told about when they change.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TextField:
    name: str  # the Event attribute, and the modal's block and action id
    max_length: int


TITLE = TextField("title", 150)
ADDRESS = TextField("address", 200)
CITY = TextField("city", 100)
STATE = TextField("state", 50)
ZIP = TextField("zip_code", 10)
ONLINE_URL = TextField("online_url", 500)
ORGANIZATIONS = TextField("lead_organizations", 400)
CONTACT_NAME = TextField("contact_name", 100)
CONTACT_EMAIL = TextField("contact_email", 254)
DETAILS = TextField("details", 2000)

TEXT_FIELDS = (TITLE, ADDRESS, CITY, STATE, ZIP, ONLINE_URL, ORGANIZATIONS, CONTACT_NAME, CONTACT_EMAIL, DETAILS)

# The event's time and place: attendees going are told when any of these changes (old and new).
TIME_FIELDS = ("starts_at", "ends_at", "all_day", "timezone")
PLACE_FIELDS = (ADDRESS, CITY, STATE, ZIP, ONLINE_URL)

# People who host the event with its creator (table event_hosts): the modal's block and action id.
CO_HOSTS = "co_hosts"
MAX_CO_HOSTS = 10

# The members of Congress a visit, a call-in day or a town hall is for (storage.congress), by
# their bioguide ids joined by spaces: the modal's block and action id, the Event attribute.
CONGRESS_MEMBERS = "congress_members"
MAX_CONGRESS_MEMBERS = 10
CONGRESS_MEMBERS_LENGTH = MAX_CONGRESS_MEMBERS * 8  # ids are 7 characters
