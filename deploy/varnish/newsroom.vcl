# Newsroom's HTTP cache: Varnish 7 with the xkey vmod (Debian: varnish, varnish-modules).
#
# deploy/serve.py runs varnishd with this file and -p vcl_path=<.serve/varnish>, where it
# writes backend.vcl (the gunicorn address) and purgers.vcl (extra addresses allowed to
# purge, from VARNISH_PURGERS). To run this file elsewhere, write those two files yourself;
# see "Deploying" in README.md.
#
# What is kept: responses that carry a Surrogate-Key header (Django marks every page a shared
# cache may keep), for as long as their Cache-Control s-maxage says, served stale while
# revalidating for stale-while-revalidate (Varnish reads both itself), and /static/ and
# /media/ files (the image library's, on the app's disk; their names never change content).
# Nothing else, and never a response that sets a cookie or says private/no-store.
vcl 4.1;

import std;
import xkey;

include "backend.vcl";

# Who may send PURGE: this machine, and the app servers listed in VARNISH_PURGERS.
acl purgers {
    "127.0.0.1";
    "::1";
    include "purgers.vcl";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        # PURGE / with "xkey-purge: article-12 section-3": drop every object tagged with any
        # of those keys. Every cacheable page carries the key "site": purging it empties all.
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "No xkey-purge header"));
        }
        set req.http.x-purged = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.x-purged));
    }
    if (req.method != "GET" && req.method != "HEAD" && req.method != "PUT"
        && req.method != "POST" && req.method != "DELETE" && req.method != "PATCH"
        && req.method != "OPTIONS") {
        # No pipe for unknown methods (the builtin's choice): nothing here needs them.
        return (synth(405, "Method Not Allowed"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        # Read the whole body here, in a cheap Varnish thread, before a gunicorn sync worker
        # sees the request: a client sending its comment one byte a second ties up Varnish,
        # not the site. Larger bodies than 200 KB are refused (a comment is at most a few),
        # except in the admin, where editors upload pictures: up to 21 MB there, the app's
        # own limit (NEWSROOM_ADMIN_MAX_BODY_SIZE: a 20 MB picture and its form). Keep the
        # two equal: the app refuses a larger body without reading it, and Varnish, still
        # sending it, would answer 503.
        if (req.url ~ "^/admin/") {
            if (std.integer(req.http.Content-Length, 0) > 22020096) {
                return (synth(413, "Request body too large"));
            }
            if (req.http.Content-Length || req.http.Transfer-Encoding) {
                if (!std.cache_req_body(21MB)) {
                    return (synth(413, "Request body too large"));
                }
            }
            return (pass);
        }
        if (std.integer(req.http.Content-Length, 0) > 204800) {
            return (synth(413, "Request body too large"));
        }
        if (req.http.Content-Length || req.http.Transfer-Encoding) {
            if (!std.cache_req_body(200KB)) {
                return (synth(413, "Request body too large"));
            }
        }
        return (pass);
    }

    # One cache object per page: drop tracking parameters, sort the rest.
    if (req.url ~ "[?&](utm_[A-Za-z0-9_]*|fbclid|gclid)=") {
        set req.url = regsuball(req.url, "(?<=[?&])(utm_[A-Za-z0-9_]*|fbclid|gclid)=[^&#]*&?", "");
        set req.url = regsub(req.url, "[?&]+(#.*)?$", "\1");
    }
    set req.url = std.querysort(req.url);

    # Signed in (sessionid) or holding a form token (csrftoken): personal, never from the cache.
    # Under HTTPS Django names them __Host-sessionid and __Host-csrftoken.
    if (req.url ~ "^/admin(/|$)"
        || req.http.Cookie ~ "(^|;\s*)(__Host-)?(sessionid|csrftoken)=") {
        return (pass);
    }
    # Any other cookie (analytics, consent banners) says nothing to Django: drop it so that it
    # cannot split or bypass the cache.
    unset req.http.Cookie;
    # The builtin VCL goes on: Host check, Authorization passes, then lookup.
}

sub vcl_hit {
    set req.http.x-cache = "HIT";
}

sub vcl_miss {
    set req.http.x-cache = "MISS";
}

sub vcl_pass {
    set req.http.x-cache = "PASS";
}

sub vcl_backend_response {
    if (bereq.uncacheable) {
        return (deliver);
    }
    if (beresp.http.Surrogate-Key) {
        # xkey indexes objects by the space-separated keys in this header.
        set beresp.http.xkey = beresp.http.Surrogate-Key;
    } else if (bereq.url !~ "^/(static|media)/") {
        # Django did not say this page may be shared: do not keep it, and do not make the
        # next readers of this URL wait for one another either (hit-for-miss, 120 s).
        call vcl_beresp_hitmiss;
    }
    # The builtin VCL goes on: Set-Cookie, private, no-store and no-cache are never kept.
}

sub vcl_deliver {
    set resp.http.X-Cache = req.http.x-cache;
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
    call strip_software;
}

# Varnish's own answers (403, 405, 413, a failed fetch): a plain page, no details.
sub vcl_synth {
    set resp.http.Content-Type = "text/plain; charset=utf-8";
    set resp.body = resp.reason + {"
"};
    call strip_software;
    return (deliver);
}

sub vcl_backend_error {
    set beresp.http.Content-Type = "text/plain; charset=utf-8";
    set beresp.http.Retry-After = "5";
    set beresp.body = beresp.reason + {"
"};
    return (deliver);
}

# Which software answers, in which version, through which host: nothing a reader needs, and
# a head start for someone looking for a known flaw.
sub strip_software {
    unset resp.http.Server;
    unset resp.http.Via;
    unset resp.http.X-Varnish;
    unset resp.http.X-Powered-By;
}
