"""innocity: turn a Chinese city's innovative-city implementation plan (创新型城市建设实施方案) into a
monitoring and evaluation platform.

Layers (enforced by import-linter, see pyproject.toml):
    cli  ->  services  ->  parsing | storage | catalog  ->  domain
``errors`` and ``settings`` are leaves that every layer may import.
"""

__version__ = "0.1.0"
