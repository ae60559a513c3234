"""How the client paces its requests within CAMS's limit: so many requests per account and
action in any one second (`..actions.ALLOWED_RATES`; ``requestsPerSecond`` may ask for fewer).

Three controls, from the simplest; each request goes through all that apply:

=============  ==============================  =========================================
control        module                          what it knows, and when it is the answer
=============  ==============================  =========================================
fixed          ``ratelimit.RateLimiter``       this process's own requests: never more
                                               than the ceiling in any second. Enough for
                                               one pipeline alone on an account.
adaptive       ``adaptive.AdaptiveRates``      CAMS's throttled answers: others share the
                                               account, so this process lowers its rate and
                                               probes back up. The default; needs nothing.
store          ``shared_quota.SharedQuota``    every process of the account, through a
               (``sliding_log``, ``store``)    Redis they share (cams:rateLimitStore, the
                                               extra ``pulumi-cams[store]``): one count, and
                                               a lease per number. For many pipelines.
=============  ==============================  =========================================

The fixed limiter is always on (adaptive control sets its rate; ``CAMS_ADAPTIVE_RATE=0`` holds
it at the ceiling); the store comes on top when configured, and falls back to adaptive control
when it fails. Listings of one space are shared and paced by the registers a process may send
(``controller.phone_numbers.listing_interval``). `make bench` and `make bench-shared` measure
the three side by side.
"""
