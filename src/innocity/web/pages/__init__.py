"""Page routers, one module per area: each handler parses, calls one service and renders a template."""
