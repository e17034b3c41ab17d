"""Chat handlers, one package per capability (``handlers/<capability>/``).

Each package's ``__init__.py`` declares its capability (``bot.capability.Capability``): its
routers, jobs, transports, services and demo scene. ``bot.capabilities`` lists them.
"""
