"""The web application's shell: base layout, sign-in, language switch, home and error pages."""
