"""Security primitives of the workbench: passwords, sessions, CSRF, login throttling, TOTP and
which role may do what. No web framework here: the routes in ``vidtrace.web`` call these."""
