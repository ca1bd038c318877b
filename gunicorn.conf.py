# Read by gunicorn when started from this folder: access logs leave out the tokens of personal links.
import gc

logger_class = "eventmgr.accesslog.TokenRedactingLogger"


def post_worker_init(worker):
    """Freeze what the worker built at start (the app, its routes, models and libraries), so the
    garbage collector's full collections during a request no longer rescan those long-lived
    objects: building a list of thousands of rows spent up to half its time there (issue 19)."""
    gc.collect()
    gc.freeze()
