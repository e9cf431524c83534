"""The Gradio UI of the plans assistant, one module per job: strings, render, chat,
responsibilities, compare, layout (the interface) and serve (launch rules and `main`).

The handlers are module-level functions of plain values (the assistant first), so they are
tested without a server. Every piece of document or user text is escaped before it is shown:
nothing from a plan or a question becomes live HTML.
"""

import os

# Before gradio is imported (ui.chat and ui.layout import it): no analytics, no version check
# against the internet. `app.py` sets it too; this covers importing the ui modules directly.
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
