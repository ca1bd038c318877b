# Read by gunicorn when started from this folder: access logs leave out the tokens of personal links.
logger_class = "eventmgr.accesslog.TokenRedactingLogger"
