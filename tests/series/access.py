from tests.access import PUBLIC, STAFF, Access, post

POLICY = {
    "series.home": Access(PUBLIC),
    "series.event_page": Access(PUBLIC),
    "series.series_list": Access(STAFF),
    "series.create_series": Access(STAFF),
    "series.edit_series": Access(STAFF),
    "series.create_event": Access(STAFF),
    "series.edit_event": Access(STAFF),
    "series.event_overview": Access(STAFF),
    "series.change_status": post(STAFF),
    "series.open_registration": post(STAFF),
    "series.event_calendar": Access(PUBLIC),
    "series.favicon": Access(PUBLIC),
    # A redirect to the login page, for everyone.
    "series.login_shortcut": Access(PUBLIC, ok=(302,)),
}
