"""The planning desk's pages: the budget, the calendar and its iCal feed, comments on a story."""
