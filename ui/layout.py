"""The interface: `build_app(assistant)` lays out the tabs and wires the handlers; its theme and CSS."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import gradio as gr

from assistant.text import fold_words
from ui.chat import clear_chat, passages_for_message, province_choices, respond
from ui.compare import compare, compare_topic_labels
from ui.render import about_html, empty_passages, panel_message
from ui.responsibilities import export_csv, kind_choices, responsibilities
from ui.strings import LANG_CHOICES, STRINGS, _lang, s

if TYPE_CHECKING:
    from assistant import Assistant


THEME = gr.themes.Soft(
    primary_hue="teal",
    secondary_hue="slate",
    # System fonts only: nothing is fetched from the internet.
    font=[
        "system-ui",
        "-apple-system",
        "Segoe UI",
        "Roboto",
        "Noto Sans",
        "Helvetica Neue",
        "Arial",
        "sans-serif",
    ],
    font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "Liberation Mono", "monospace"],
)

CSS = """
.pa-passages, .pa-compare, .pa-about { font-size: 0.95rem; line-height: 1.5; }
.pa-question { margin-bottom: .6rem; color: var(--body-text-color-subdued); }
.pa-label { font-weight: 600; }
.pa-cite { border: 1px solid var(--border-color-primary); border-left: 4px solid var(--color-accent);
  border-radius: 8px; padding: .55rem .75rem; margin: 0 0 .7rem 0; background: var(--background-fill-secondary); }
.pa-cite header { display: flex; flex-wrap: wrap; gap: .35rem .5rem; align-items: baseline; margin-bottom: .35rem; }
.pa-marker { font-weight: 700; color: var(--color-accent); }
.pa-province { font-weight: 700; }
.pa-section { font-size: .85rem; color: var(--body-text-color-subdued); }
.pa-text { white-space: pre-wrap; overflow-wrap: anywhere; }
.pa-text mark { background: #fde68a; color: #1f2937; padding: 0 .1em; border-radius: 3px; }
.pa-notice { color: #9a3412; font-weight: 500; }
.pa-empty, .pa-timing { color: var(--body-text-color-subdued); font-size: .85rem; }
.pa-compare { display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); gap: 1rem; }
.pa-col { border: 1px solid var(--border-color-primary); border-radius: 10px; padding: .75rem; }
.pa-col h3 { margin: 0 0 .25rem 0; }
.pa-col-question { color: var(--body-text-color-subdued); font-size: .85rem; margin: 0 0 .5rem 0; }
.pa-answer { white-space: pre-wrap; margin-bottom: .7rem; font-weight: 500; }
.pa-answer.pa-abstained { font-weight: 400; font-style: italic; color: var(--body-text-color-subdued); }
.pa-table-wrap { overflow-x: auto; }
.pa-table { border-collapse: collapse; width: 100%; margin-bottom: 1rem; }
.pa-table th, .pa-table td { border: 1px solid var(--border-color-primary); padding: .4rem .5rem;
  vertical-align: top; text-align: left; }
.pa-info th { width: 14rem; }
.pa-missing { color: var(--body-text-color-subdued); font-style: italic; }
#pa-passages-panel { max-height: 640px; overflow-y: auto; }
/* the table in the body font: monospace fonts lack Vietnamese precomposed letters */
#resp-table, #resp-table table, #resp-table td, #resp-table th, #resp-table span,
#resp-table input, #resp-table textarea { font-family: var(--font) !important; }
#send { align-self: end; min-height: 42px; }
/* keep the first message clear of the chat's floating label and toolbar */
#chatbot .bubble-wrap { margin-top: 2.8rem; height: calc(100% - 2.8rem); }
"""


def relabel(lang: str) -> list[Any]:
    """Updates of the labelled components (in `build_app`'s order) for the interface language."""
    lang = _lang(lang)
    return [
        gr.update(value=s(lang, "header")),
        gr.update(label=s(lang, "tab_chat")),
        gr.update(label=s(lang, "tab_resp")),
        gr.update(label=s(lang, "tab_compare")),
        gr.update(label=s(lang, "tab_about")),
        gr.update(label=s(lang, "province_filter"), info=s(lang, "province_filter_info")),
        gr.update(label=s(lang, "chatbot_label"), placeholder=s(lang, "chatbot_placeholder")),
        gr.update(label=s(lang, "input_label"), placeholder=s(lang, "input_placeholder")),
        gr.update(value=s(lang, "send")),
        gr.update(value=s(lang, "clear")),
        gr.update(label=s(lang, "examples_label")),
        gr.update(value=s(lang, "passages_title")),
        gr.update(value=s(lang, "resp_intro")),
        gr.update(label=s(lang, "resp_provinces"), info=s(lang, "resp_provinces_info")),
        gr.update(label=s(lang, "resp_agency"), placeholder=s(lang, "resp_agency_placeholder")),
        gr.update(label=s(lang, "resp_text"), placeholder=s(lang, "resp_text_placeholder")),
        gr.update(label=s(lang, "resp_kind"), choices=kind_choices(lang)),
        gr.update(value=s(lang, "resp_export")),
        gr.update(label=s(lang, "resp_file")),
        gr.update(value=s(lang, "compare_intro")),
        gr.update(
            label=s(lang, "compare_topic"),
            info=s(lang, "compare_topic_info"),
            choices=compare_topic_labels(lang),
        ),
        gr.update(label=s(lang, "compare_provinces")),
        gr.update(value=s(lang, "compare_button")),
    ]


def _translate_topic(topic: str, lang: str) -> str:
    """A listed compare topic in the other language; free text stays as typed."""
    key = fold_words(topic or "")
    for t in STRINGS["compare_topics"]:
        if key in (fold_words(t["vi"]), fold_words(t["en"])):
            return t[_lang(lang)]
    return topic


def _passages_on_lang(sources: list | None, lang: str) -> Any:
    """Swap the empty-panel hint to the new language; keep a shown answer's passages."""
    if not sources or all(x is None for x in sources):
        return empty_passages(lang)
    return gr.skip()


def build_app(assistant: Assistant) -> gr.Blocks:
    """The interface over `assistant` (not launched: see `main`)."""
    lang0 = "vi"
    choices = province_choices(assistant)
    all_ids = [pid for _, pid in choices]
    bind = functools.partial

    with gr.Blocks(title=s(lang0, "page_title"), analytics_enabled=False, fill_width=True) as demo:
        lang = gr.State(lang0)
        session = gr.State(None)
        sources = gr.State([])

        with gr.Row(equal_height=False):
            header = gr.Markdown(s(lang0, "header"), elem_id="pa-header")
            lang_radio = gr.Radio(
                LANG_CHOICES,
                value=lang0,
                label=s(lang0, "lang_label"),
                scale=0,
                min_width=220,
                elem_id="pa-lang",
            )

        with gr.Tabs():
            with gr.Tab(s(lang0, "tab_chat"), id="chat", elem_id="tab-chat") as tab_chat:
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=360):
                        chat_provinces = gr.CheckboxGroup(
                            choices,
                            value=all_ids,
                            label=s(lang0, "province_filter"),
                            info=s(lang0, "province_filter_info"),
                            elem_id="chat-provinces",
                        )
                        chatbot = gr.Chatbot(
                            label=s(lang0, "chatbot_label"),
                            placeholder=s(lang0, "chatbot_placeholder"),
                            height=460,
                            buttons=["copy", "copy_all"],
                            feedback_options=None,
                            latex_delimiters=[],
                            elem_id="chatbot",
                        )
                        with gr.Row(equal_height=False):
                            question = gr.Textbox(
                                label=s(lang0, "input_label"),
                                placeholder=s(lang0, "input_placeholder"),
                                lines=1,
                                max_lines=4,
                                scale=5,
                                autofocus=True,
                                elem_id="question",
                            )
                            with gr.Column(scale=0, min_width=150):
                                send = gr.Button(s(lang0, "send"), variant="primary", elem_id="send")
                                clear = gr.Button(
                                    s(lang0, "clear"), variant="secondary", size="sm", elem_id="clear"
                                )
                        examples = gr.Dataset(
                            components=[gr.Textbox(visible=False)],
                            samples=[[q] for q in STRINGS["examples"]],
                            label=s(lang0, "examples_label"),
                            type="index",
                            samples_per_page=12,
                            elem_id="examples",
                        )
                    with gr.Column(scale=2, min_width=320):
                        passages_title = gr.Markdown(s(lang0, "passages_title"))
                        passages = gr.HTML(empty_passages(lang0), elem_id="pa-passages-panel")

            with gr.Tab(s(lang0, "tab_resp"), id="resp", elem_id="tab-resp") as tab_resp:
                resp_intro = gr.Markdown(s(lang0, "resp_intro"))
                with gr.Row():
                    resp_provinces = gr.CheckboxGroup(
                        choices,
                        value=[],
                        label=s(lang0, "resp_provinces"),
                        info=s(lang0, "resp_provinces_info"),
                        elem_id="resp-provinces",
                    )
                    resp_kind = gr.Radio(
                        kind_choices(lang0), value="all", label=s(lang0, "resp_kind"), elem_id="resp-kind"
                    )
                with gr.Row():
                    resp_agency = gr.Textbox(
                        label=s(lang0, "resp_agency"),
                        placeholder=s(lang0, "resp_agency_placeholder"),
                        elem_id="resp-agency",
                    )
                    resp_text = gr.Textbox(
                        label=s(lang0, "resp_text"),
                        placeholder=s(lang0, "resp_text_placeholder"),
                        elem_id="resp-text",
                    )
                frame0, count0 = responsibilities(assistant, [], "", "", "all", lang0)
                resp_count = gr.Markdown(count0, elem_id="resp-count")
                resp_table = gr.Dataframe(
                    frame0,
                    interactive=False,
                    wrap=True,
                    max_height=620,
                    show_label=False,
                    column_widths=["8%", "14%", "14%", "14%", "8%", "10%", "22%", "10%"],
                    elem_id="resp-table",
                )
                with gr.Row():
                    resp_export = gr.Button(
                        s(lang0, "resp_export"), scale=0, min_width=160, elem_id="resp-export"
                    )
                    resp_file = gr.File(
                        label=s(lang0, "resp_file"), interactive=False, height=90, elem_id="resp-file"
                    )

            with gr.Tab(s(lang0, "tab_compare"), id="compare", elem_id="tab-compare") as tab_compare:
                compare_intro = gr.Markdown(s(lang0, "compare_intro"))
                with gr.Row():
                    compare_topic = gr.Dropdown(
                        compare_topic_labels(lang0),
                        value=compare_topic_labels(lang0)[0],
                        allow_custom_value=True,
                        label=s(lang0, "compare_topic"),
                        info=s(lang0, "compare_topic_info"),
                        scale=3,
                        elem_id="compare-topic",
                    )
                    compare_provinces = gr.CheckboxGroup(
                        choices,
                        value=[pid for pid in ("hai-duong", "ca-mau") if pid in all_ids] or all_ids[:2],
                        label=s(lang0, "compare_provinces"),
                        scale=2,
                        elem_id="compare-provinces",
                    )
                compare_button = gr.Button(
                    s(lang0, "compare_button"), variant="primary", elem_id="compare-run"
                )
                compare_out = gr.HTML(panel_message(s(lang0, "compare_empty")), elem_id="compare-out")

            with gr.Tab(s(lang0, "tab_about"), id="about", elem_id="tab-about") as tab_about:
                about = gr.HTML(about_html(assistant, lang0), elem_id="about")

        # -- events ------------------------------------------------------------------------------
        chat_inputs = [question, chatbot, session, chat_provinces, lang, sources]
        chat_outputs = [chatbot, session, passages, sources, question]
        for trigger in (question.submit, send.click):
            trigger(bind(respond, assistant), chat_inputs, chat_outputs, concurrency_id="ask")

        def ask_example(index, history, sess, provinces, lang_value, srcs):
            if not isinstance(index, int) or not 0 <= index < len(STRINGS["examples"]):
                return gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return respond(assistant, STRINGS["examples"][index], history, sess, provinces, lang_value, srcs)

        examples.click(
            ask_example,
            [examples, chatbot, session, chat_provinces, lang, sources],
            chat_outputs,
            concurrency_id="ask",
        )

        def on_select(srcs, evt: gr.SelectData):
            return passages_for_message(srcs, evt.index)

        chatbot.select(on_select, [sources], [passages])
        clear.click(clear_chat, [session, lang], [chatbot, session, passages, sources, question])
        chatbot.clear(clear_chat, [session, lang], [chatbot, session, passages, sources, question])

        resp_inputs = [resp_provinces, resp_agency, resp_text, resp_kind, lang]
        for component in (resp_provinces, resp_kind):
            component.change(bind(responsibilities, assistant), resp_inputs, [resp_table, resp_count])
        for component in (resp_agency, resp_text):
            component.change(
                bind(responsibilities, assistant),
                resp_inputs,
                [resp_table, resp_count],
                trigger_mode="always_last",
                show_progress="hidden",
            )
        resp_export.click(bind(export_csv, assistant), resp_inputs, [resp_file])

        compare_button.click(
            bind(compare, assistant),
            [compare_topic, compare_provinces, lang],
            [compare_out],
            concurrency_id="ask",
        )

        labelled = [
            header,
            tab_chat,
            tab_resp,
            tab_compare,
            tab_about,
            chat_provinces,
            chatbot,
            question,
            send,
            clear,
            examples,
            passages_title,
            resp_intro,
            resp_provinces,
            resp_agency,
            resp_text,
            resp_kind,
            resp_export,
            resp_file,
            compare_intro,
            compare_topic,
            compare_provinces,
            compare_button,
        ]

        def switch_language(new_lang, topic, srcs):
            new_lang = _lang(new_lang)
            updates = relabel(new_lang)
            return [
                new_lang,
                *updates,
                _passages_on_lang(srcs, new_lang),
                about_html(assistant, new_lang),
                _translate_topic(topic, new_lang),
            ]

        lang_radio.change(
            switch_language,
            [lang_radio, compare_topic, sources],
            [lang, *labelled, passages, about, compare_topic],
        ).then(bind(responsibilities, assistant), resp_inputs, [resp_table, resp_count])

    return demo
