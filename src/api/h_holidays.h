/* api: public-holiday calendars and a warehouse's calendar (h_holidays.c);
 * the domain is src/lastmile/holiday.c and holiday_store.c. */
#ifndef HC_API_H_HOLIDAYS_H
#define HC_API_H_HOLIDAYS_H

struct req;
int h_holidays_list(struct req *r);
int h_holidays_import(struct req *r);
int h_holiday_delete(struct req *r);
int h_calendar_get(struct req *r);
int h_calendar_put(struct req *r);
int h_closed_day_put(struct req *r);
int h_closed_day_delete(struct req *r);

#endif
