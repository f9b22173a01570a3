/* api: the day's dispatch, manifests, scan-out and tracking events
 * (h_dispatch.c); the domain is src/lastmile/manifest.c and tracking.c. */
#ifndef HC_API_H_DISPATCH_H
#define HC_API_H_DISPATCH_H

struct req;
int h_dispatch_day(struct req *r);
int h_dispatch_labels(struct req *r);
int h_dispatch_labels_zpl(struct req *r);
int h_dispatch_settings_put(struct req *r);
int h_dispatch_settings_get(struct req *r);
int h_manifest_close(struct req *r);
int h_manifest_get(struct req *r);
int h_manifest_list(struct req *r);
int h_manifest_pdf(struct req *r);
int h_manifest_csv(struct req *r);
int h_parcel_scan_out(struct req *r);
int h_tracking_events(struct req *r);
int h_tracking_inbox(struct req *r);
int h_order_tracking(struct req *r);
int h_parcel_tracking(struct req *r);
/* The tracking inbox directory (HAICANG_TRACKING_INBOX) or NULL; one pass
 * over it, each file in its own transaction. */
const char *h_tracking_inbox_dir(void);
void h_tracking_inbox_poll(void);
/* The server's poller: the inbox every HAICANG_TRACKING_POLL_S seconds
 * (default 10) while HAICANG_TRACKING_INBOX is set; stop joins it. */
void h_tracking_poller_start(void);
void h_tracking_poller_stop(void);

#endif
