"""Authentication: credentials (secret key, device-flow bearer tokens) and the device flow.

The classic import paths are the modules themselves:
``cmsdials.auth.secret_key.Credentials``, ``cmsdials.auth.bearer.Credentials``
(also ``cmsdials.auth.device.Credentials``), ``cmsdials.auth.client.AuthClient``
and ``cmsdials.auth.models.Token``.
"""
