"""The plans assistant's web app: chat with cited passages, responsibilities, comparison, the plans.

`python app.py` builds the model and the index on first run, then serves on 127.0.0.1:7860
(PLANS_HOST / PLANS_PORT or --host / --port). Serving beyond this machine needs a password
(PLANS_AUTH_USER / PLANS_AUTH_PASSWORD) unless PLANS_ALLOW_NO_AUTH=1 or --no-auth says otherwise.

This is the entry point only; the interface lives in the `ui` package. `build_app(assistant)`
(ui/layout.py) makes the interface; the handlers are module-level functions of plain values
(the assistant first), so they are tested without a server. Every piece of document or user
text is escaped before it is shown: nothing from a plan or a question becomes live HTML.
"""

from __future__ import annotations

import os
import sys

# Before gradio is imported: no analytics, no version check against the internet.
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"

from ui.layout import build_app
from ui.serve import main

__all__ = ["build_app", "main"]

if __name__ == "__main__":
    sys.exit(main())
