// Reads iCalendar files named on the command line the way a calendar client does (ical.js)
// and prints, as JSON, what it understood of each: the method and, for every VEVENT, its UID,
// summary, start and end in UTC, the zone the start is in ("floating" when ical.js could not
// tie it to a zone), status and sequence.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const read = (path) => {
  const calendar = new ICAL.Component(ICAL.parse(readFileSync(path, "utf8")));
  for (const zone of calendar.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(zone);
  }
  const utc = (time) => (time ? time.toJSDate().toISOString() : null);
  const events = calendar.getAllSubcomponents("vevent").map((component) => {
    const event = new ICAL.Event(component);
    const start = event.startDate;
    return {
      uid: event.uid,
      summary: event.summary,
      start: utc(start),
      end: utc(event.endDate),
      zone: start.isDate ? "date" : (start.zone ? start.zone.tzid : "floating"),
      status: component.getFirstPropertyValue("status"),
      sequence: event.sequence,
      description: event.description,
    };
  });
  return { path, method: calendar.getFirstPropertyValue("method"), events };
};

console.log(JSON.stringify(process.argv.slice(2).map(read)));
