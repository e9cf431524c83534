"""The interface: `build_app(assistant)` lays out the tabs and wires the handlers; its theme,
CSS and the page script that opens the plan reader from [n] links."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import gradio as gr

from assistant.text import fold_words
from ui.api import register as register_api
from ui.chat import (
    clear_chat,
    finish_turn,
    followups_update,
    panel_html,
    passages_for_message,
    plan_provinces,
    plan_texts,
    province_choices,
    start_turn,
)
from ui.compare import compare, compare_topic_labels
from ui.render import about_html, empty_passages, panel_message
from ui.responsibilities import kind_choices, responsibilities_files, responsibilities_view
from ui.security import MAX_INPUT_CHARS
from ui.strings import LANG_CHOICES, STRINGS, _lang, s
from ui.viewer import parse_ref, plan_view_html

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

HEAD = """<script>
(() => {
  // [n] links and "open in the plan" links carry #pa-src=<plan>[:start-end]; a click opens the reader.
  window.paOpenSource = (ref) => {
    window.__paRef = ref;
    const button = document.querySelector('#pa-src-open');
    if (button) button.click();
  };
  document.addEventListener('click', (event) => {
    const link = event.target.closest && event.target.closest('a[href*="#pa-src="], a[href^="#pa-h-"]');
    if (!link) return;
    event.preventDefault();
    event.stopPropagation();
    const href = link.getAttribute('href');
    if (href.startsWith('#pa-h-')) {
      const target = document.getElementById(href.slice(1));
      if (target) target.scrollIntoView({block: 'start'});
      return;
    }
    window.paOpenSource(href.split('#pa-src=')[1]);
  }, true);
})();
</script>"""

# Client-side steps of a chat turn: the box is emptied in the browser at once (through Gradio's
# own state, so what is typed next is kept), then the new answer's first line is brought into view.
TAKE_QUESTION_JS = "(question) => [question, '']"
SCROLL_JS = """() => {
  setTimeout(() => {
    const bots = document.querySelectorAll('#chatbot [data-testid="bot"]');
    const last = bots[bots.length - 1];
    if (!last) return;
    let box = last.parentElement;
    while (box && !(box.scrollHeight > box.clientHeight + 2 && /(auto|scroll)/.test(getComputedStyle(box).overflowY))) {
      box = box.parentElement;
    }
    if (box && box !== document.body && box !== document.documentElement) {
      box.scrollTop += last.getBoundingClientRect().top - box.getBoundingClientRect().top - 8;
    }
    const top = last.getBoundingClientRect().top;
    if (top < 0 || top > window.innerHeight - 80) last.scrollIntoView({block: 'start'});
  }, 80);
}"""
REF_JS = "(ref, lang) => [window.__paRef || ref, lang]"
SCROLL_MARK_JS = """() => {
  setTimeout(() => {
    const hit = document.querySelector('#pa-viewer [data-target]');
    if (hit) hit.scrollIntoView({block: 'center'});
    const here = document.querySelector('#pa-viewer .pa-toc .pa-here');
    const toc = document.querySelector('#pa-viewer .pa-toc');
    if (here && toc) toc.scrollTop = here.offsetTop - toc.offsetTop - toc.clientHeight / 3;
  }, 120);
}"""

CSS = """
.pa-passages, .pa-compare, .pa-about, .pa-viewer { font-size: 0.95rem; line-height: 1.5; }
.pa-question { margin-bottom: .4rem; color: var(--body-text-color-subdued); }
.pa-label { font-weight: 600; }
.pa-support { margin: 0 0 .6rem 0; font-weight: 600; font-size: .9rem; }
.pa-support-supported { color: #166534; }
.pa-support-partial { color: #92400e; }
.pa-support-not_found { color: #6b7280; }
.pa-cite { border: 1px solid var(--border-color-primary); border-left: 4px solid var(--color-accent);
  border-radius: 8px; padding: .55rem .75rem; margin: 0 0 .7rem 0; background: var(--background-fill-secondary); }
.pa-cite header { display: flex; flex-wrap: wrap; gap: .35rem .5rem; align-items: baseline; margin-bottom: .35rem; }
.pa-marker { font-weight: 700; color: var(--color-accent); text-decoration: none; }
.pa-open { margin-left: auto; font-size: .8rem; }
.pa-province { font-weight: 700; }
.pa-section { font-size: .85rem; color: var(--body-text-color-subdued); }
.pa-text { white-space: pre-wrap; overflow-wrap: anywhere; }
.pa-ctx { color: var(--body-text-color-subdued); }
.pa-passages mark, .pa-viewer mark, .pa-table mark, .pa-compare mark { background: #fde68a; color: #1f2937; padding: 0 .1em; border-radius: 3px; }
.pa-more-passages > summary { cursor: pointer; margin: .4rem 0; font-weight: 600; color: var(--color-accent); }
.pa-group-title { margin: .8rem 0 .4rem 0; font-size: 1rem; border-bottom: 1px solid var(--border-color-primary); }
.pa-group-title span { font-weight: 400; color: var(--body-text-color-subdued); }
.pa-notice { color: #9a3412; font-weight: 500; }
.pa-more { margin: .6rem 0; border-top: 1px solid var(--border-color-primary); padding-top: .4rem; }
.pa-more summary { cursor: pointer; font-weight: 600; }
.pa-more-list { max-height: 16rem; overflow-y: auto; columns: 2; margin: .3rem 0; }
.pa-empty, .pa-timing { color: var(--body-text-color-subdued); font-size: .85rem; }
.pa-compare { display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); gap: 1rem; }
.pa-col { border: 1px solid var(--border-color-primary); border-radius: 10px; padding: .75rem; min-width: 0; }
.pa-col h3 { margin: 0 0 .25rem 0; }
.pa-col-question { color: var(--body-text-color-subdued); font-size: .85rem; margin: 0 0 .5rem 0; }
.pa-answer { white-space: pre-wrap; margin-bottom: .7rem; font-weight: 500; }
.pa-answer.pa-abstained { font-weight: 400; font-style: italic; color: var(--body-text-color-subdued); }
.pa-table-wrap { overflow-x: auto; max-width: 100%; }
.pa-table { border-collapse: collapse; width: 100%; margin-bottom: 1rem; }
.pa-table th, .pa-table td { border: 1px solid var(--border-color-primary); padding: .4rem .5rem;
  vertical-align: top; text-align: left; word-break: normal; overflow-wrap: break-word; }
.pa-table th { background: var(--background-fill-secondary); position: sticky; top: 0; }
.pa-table ul { margin: 0; padding-left: 1.1rem; }
.pa-resp { min-width: 900px; }
.pa-resp td { min-width: 8rem; }
.pa-src-link { text-decoration: none; font-size: .85rem; }
.pa-info th { width: 14rem; }
.pa-missing { color: var(--body-text-color-subdued); font-style: italic; }
/* the scrolling boxes are our own divs: Gradio's wrappers clip what overflows them */
#pa-passages-panel .pa-passages { max-height: 72vh; overflow-y: auto; padding-right: .35rem; }
#resp-table .pa-table-wrap { max-height: 72vh; overflow: auto; }
.pa-view-head h3 { margin: 0 0 .25rem 0; }
.pa-view-path { margin: 0 0 .5rem 0; color: var(--body-text-color-subdued); }
.pa-view-body { display: grid; grid-template-columns: minmax(200px, 1fr) 3fr; gap: 1rem; }
.pa-toc { max-height: 72vh; overflow-y: auto; font-size: .85rem; }
.pa-toc ol { list-style: none; padding-left: 0; margin: .3rem 0; }
.pa-toc li { margin: .15rem 0; }
.pa-toc li.pa-here > a { font-weight: 700; color: var(--color-accent); }
.pa-toc-letter { padding-left: 2rem; } .pa-toc-item, .pa-toc-article { padding-left: 1rem; }
.pa-view-text { max-height: 72vh; overflow-y: auto; white-space: pre-wrap; overflow-wrap: anywhere;
  border: 1px solid var(--border-color-primary); border-radius: 8px; padding: .75rem; }
.pa-line.pa-h { font-weight: 600; margin-top: .35rem; }
.pa-line.pa-hit { background: #fef3c7; }
#send { align-self: end; min-height: 42px; }
#pa-header h2 { margin-bottom: .25rem; word-break: normal; overflow-wrap: normal; hyphens: manual; }
/* keep the first message clear of the chat's floating label and toolbar */
#chatbot .bubble-wrap { margin-top: 2.8rem; height: calc(100% - 2.8rem); }
@media (max-width: 700px) {
  #pa-header h2 { font-size: 1.2rem; line-height: 1.3; }
  #pa-header p { font-size: .85rem; }
  #pa-top { flex-direction: column; }
  #ask-row { flex-direction: column; }
  #ask-row > * { width: 100% !important; min-width: 0 !important; flex: 1 1 auto !important; }
  #send { width: 100%; }
  .pa-view-body { grid-template-columns: 1fr; }
  .pa-toc { max-height: 30vh; }
  .pa-toc:not([open]) { max-height: none; }
}
"""


def header_text(assistant: Assistant, lang: str) -> str:
    """The page's title and how to ask, naming the provinces held (the first few and a count
    past ten, as the assistant says them: the About tab lists all)."""
    from assistant.compose import held_names

    return s(lang, "header").format(provinces=held_names({p.id: p for p in assistant.plans()}, _lang(lang)))


def relabel(lang: str, assistant: Assistant | None = None) -> list[Any]:
    """Updates of the labelled components (in `build_app`'s order) for the interface language."""
    lang = _lang(lang)
    return [
        gr.update(value=header_text(assistant, lang)) if assistant is not None else gr.skip(),
        gr.update(label=s(lang, "tab_chat")),
        gr.update(label=s(lang, "tab_resp")),
        gr.update(label=s(lang, "tab_compare")),
        gr.update(label=s(lang, "tab_source")),
        gr.update(label=s(lang, "tab_about")),
        gr.update(label=s(lang, "province_filter"), info=s(lang, "province_filter_info")),
        gr.update(label=s(lang, "chatbot_label"), placeholder=s(lang, "chatbot_placeholder")),
        gr.update(label=s(lang, "input_label"), placeholder=s(lang, "input_placeholder")),
        gr.update(value=s(lang, "send")),
        gr.update(value=s(lang, "clear")),
        gr.update(label=s(lang, "followups_label")),
        gr.update(label=s(lang, "examples_label")),
        gr.update(value=s(lang, "passages_title")),
        gr.update(value=s(lang, "resp_intro")),
        gr.update(label=s(lang, "resp_provinces"), info=s(lang, "resp_provinces_info")),
        gr.update(label=s(lang, "resp_agency"), placeholder=s(lang, "resp_agency_placeholder")),
        gr.update(label=s(lang, "resp_text"), placeholder=s(lang, "resp_text_placeholder")),
        gr.update(label=s(lang, "resp_kind"), choices=kind_choices(lang)),
        gr.update(label=s(lang, "resp_export_csv")),
        gr.update(label=s(lang, "resp_export_xlsx")),
        gr.update(value=s(lang, "compare_intro")),
        gr.update(
            label=s(lang, "compare_topic"),
            info=s(lang, "compare_topic_info"),
            choices=compare_topic_labels(lang),
        ),
        gr.update(label=s(lang, "compare_provinces")),
        gr.update(value=s(lang, "compare_button")),
        gr.update(label=s(lang, "compare_export_csv")),
        gr.update(label=s(lang, "compare_export_xlsx")),
        gr.update(label=s(lang, "viewer_pick")),
    ]


def _translate_topic(topic: str, lang: str) -> str:
    """A listed compare topic in the other language; free text stays as typed."""
    key = fold_words(topic or "")
    for t in STRINGS["compare_topics"]:
        if key in (fold_words(t["vi"]), fold_words(t["en"])):
            return t[_lang(lang)]
    return topic


def open_source(assistant: Assistant, ref: str, lang: str) -> tuple[str, Any, Any]:
    """The reader at a source reference: (its HTML, the reader's tab selected, the plan picked)."""
    lang = _lang(lang)
    parsed = parse_ref(ref)
    plans = {p.id: p for p in assistant.plans()}
    if parsed is None or parsed.plan not in plans:
        shown = (ref or "")[:80]
        return (
            panel_message(s(lang, "viewer_bad_ref").format(ref=shown), "notice"),
            gr.Tabs(selected="source"),
            gr.skip(),
        )
    return (
        plan_view_html(plans[parsed.plan], parsed, lang),
        gr.Tabs(selected="source"),
        gr.update(value=parsed.plan),
    )


def read_plan(assistant: Assistant, plan_id: str | None, lang: str) -> str:
    plans = {p.id: p for p in assistant.plans()}
    if plan_id not in plans:
        return panel_message(s(lang, "viewer_empty"))
    return plan_view_html(plans[plan_id], None, lang)


def _export_buttons(lang: str, name: str, files=(None, None), visible: bool = True) -> tuple[Any, Any]:
    """The CSV and Excel download buttons of a table (`{name}-csv`, `{name}-xlsx`)."""
    return tuple(
        gr.DownloadButton(
            s(lang, f"{name}_export_{kind}"),
            value=path,
            visible=visible,
            size="sm",
            scale=0,
            min_width=width,
            elem_id=f"{name}-{kind}",
        )
        for kind, width, path in (("csv", 140, files[0]), ("xlsx", 170, files[1]))
    )


def build_app(assistant: Assistant) -> gr.Blocks:
    """The interface over `assistant` (not launched: see `main`)."""
    lang0 = "vi"
    choices = province_choices(assistant)
    all_ids = [pid for _, pid in choices]
    bind = functools.partial
    private = {"api_visibility": "private"}

    with gr.Blocks(title=s(lang0, "page_title"), analytics_enabled=False, fill_width=True) as demo:
        lang = gr.State(lang0)
        session = gr.State(None)
        answers = gr.State([])
        pending = gr.State("")

        with gr.Row(equal_height=False, elem_id="pa-top"):
            header = gr.Markdown(header_text(assistant, lang0), elem_id="pa-header")
            lang_radio = gr.Radio(
                LANG_CHOICES,
                value=lang0,
                label=s(lang0, "lang_label"),
                scale=0,
                min_width=220,
                elem_id="pa-lang",
            )

        with gr.Tabs(overflow_behavior="wrap", elem_id="pa-tabs") as tabs:
            with gr.Tab(s(lang0, "tab_chat"), id="chat", elem_id="tab-chat") as tab_chat:
                with gr.Row(equal_height=False, elem_id="chat-row"):
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
                            height=480,
                            autoscroll=False,
                            buttons=["copy", "copy_all"],
                            feedback_options=None,
                            latex_delimiters=[],
                            elem_id="chatbot",
                        )
                        with gr.Row(equal_height=False, elem_id="ask-row"):
                            question = gr.Textbox(
                                label=s(lang0, "input_label"),
                                placeholder=s(lang0, "input_placeholder"),
                                lines=1,
                                max_lines=4,
                                scale=5,
                                autofocus=True,
                                max_length=MAX_INPUT_CHARS,  # the browser sends no more (ui.security)
                                elem_id="question",
                            )
                            with gr.Column(scale=0, min_width=150):
                                send = gr.Button(s(lang0, "send"), variant="primary", elem_id="send")
                                clear = gr.Button(
                                    s(lang0, "clear"), variant="secondary", size="sm", elem_id="clear"
                                )
                        suggested = gr.Dataset(
                            components=[gr.Textbox(visible=False)],
                            samples=[],
                            label=s(lang0, "followups_label"),
                            type="values",
                            visible=False,
                            elem_id="followups",
                        )
                        examples = gr.Dataset(
                            components=[gr.Textbox(visible=False)],
                            samples=[[q] for q in STRINGS["examples"]],
                            label=s(lang0, "examples_label"),
                            type="values",
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
                table0, count0 = responsibilities_view(assistant, [], "", "", "all", lang0)
                with gr.Row(equal_height=True):
                    resp_count = gr.Markdown(count0, elem_id="resp-count")
                    # the files of the whole table are written when the page loads, not at start-up
                    resp_csv, resp_xlsx = _export_buttons(lang0, "resp", visible=False)
                resp_table = gr.HTML(table0, elem_id="resp-table")

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
                        value=all_ids[:2],
                        label=s(lang0, "compare_provinces"),
                        scale=2,
                        elem_id="compare-provinces",
                    )
                with gr.Row():
                    compare_button = gr.Button(
                        s(lang0, "compare_button"), variant="primary", elem_id="compare-run"
                    )
                    compare_csv, compare_xlsx = _export_buttons(lang0, "compare", visible=False)
                compare_out = gr.HTML(panel_message(s(lang0, "compare_empty")), elem_id="compare-out")

            with gr.Tab(s(lang0, "tab_source"), id="source", elem_id="tab-source") as tab_source:
                viewer_plan = gr.Dropdown(
                    choices, value=None, label=s(lang0, "viewer_pick"), elem_id="viewer-plan"
                )
                viewer = gr.HTML(panel_message(s(lang0, "viewer_empty")), elem_id="pa-viewer")

            with gr.Tab(s(lang0, "tab_about"), id="about", elem_id="tab-about") as tab_about:
                about = gr.HTML(about_html(assistant, lang0), elem_id="about")

        # the link target of [n] and "open in the plan" (hidden; driven by the page script)
        src_ref = gr.Textbox(visible="hidden", elem_id="pa-src-ref")
        asked = gr.Textbox(visible="hidden", elem_id="pa-asked")  # the question just sent
        src_open = gr.Button("open", visible="hidden", elem_id="pa-src-open")

        # -- events ------------------------------------------------------------------------------
        turn_outputs = [chatbot, session, passages, answers, suggested]

        def finish(pend, history, sess, provinces, lang_value, ans):
            history, sess, panel, ans, asks = finish_turn(
                assistant, pend, history, sess, provinces, lang_value, ans
            )
            return history, sess, panel, ans, followups_update(asks)

        def chain(event):
            event.then(
                finish,
                [pending, chatbot, session, chat_provinces, lang, answers],
                turn_outputs,
                concurrency_id="ask",
                show_progress="hidden",
                **private,
            ).then(None, js=SCROLL_JS, **private)

        for trigger in (question.submit, send.click):
            chain(
                trigger(None, [question], [asked, question], js=TAKE_QUESTION_JS, **private).then(
                    start_turn,
                    [asked, chatbot, lang],
                    [chatbot, pending, passages],
                    queue=False,
                    show_progress="hidden",
                    **private,
                )
            )

        def ask_sample(sample, history, lang_value):
            text = sample[0] if isinstance(sample, (list, tuple)) and sample else ""
            return start_turn(str(text or ""), history, lang_value)

        for dataset in (examples, suggested):
            chain(
                dataset.click(
                    ask_sample,
                    [dataset, chatbot, lang],
                    [chatbot, pending, passages],
                    queue=False,
                    show_progress="hidden",
                    **private,
                )
            )

        def on_select(ans, lang_value, evt: gr.SelectData):
            return passages_for_message(
                ans, evt.index, lang_value, plan_texts(assistant), plan_provinces(assistant)
            )

        chatbot.select(on_select, [answers, lang], [passages], **private)
        clear_outputs = [chatbot, session, passages, answers, suggested]
        clear.click(clear_chat, [session, lang], clear_outputs, **private)
        chatbot.clear(clear_chat, [session, lang], clear_outputs, **private)

        src_open.click(
            bind(open_source, assistant), [src_ref, lang], [viewer, tabs, viewer_plan], js=REF_JS, **private
        ).then(None, js=SCROLL_MARK_JS, **private)
        viewer_plan.input(bind(read_plan, assistant), [viewer_plan, lang], [viewer], **private)

        resp_inputs = [resp_provinces, resp_agency, resp_text, resp_kind, lang]

        def resp_view(*values):  # the table at once; the buttons hidden until its files exist
            html, count = responsibilities_view(assistant, *values)
            return html, count, gr.update(visible=False), gr.update(visible=False)

        def resp_files(*values):
            csv_path, xlsx_path = responsibilities_files(assistant, *values)
            return gr.update(value=csv_path, visible=True), gr.update(value=xlsx_path, visible=True)

        def resp_event(event, **options):
            return event(
                resp_view, resp_inputs, [resp_table, resp_count, resp_csv, resp_xlsx], **options, **private
            ).then(resp_files, resp_inputs, [resp_csv, resp_xlsx], show_progress="hidden", **private)

        for component in (resp_provinces, resp_kind):
            resp_event(component.change, show_progress="minimal")
        for component in (resp_agency, resp_text):
            resp_event(component.change, trigger_mode="always_last", show_progress="hidden")

        def run_compare(topic, provinces, lang_value):
            html, csv_path, xlsx_path = compare(assistant, topic, provinces, lang_value)
            shown = csv_path is not None
            return (
                html,
                gr.update(value=csv_path, visible=shown),
                gr.update(value=xlsx_path, visible=shown),
            )

        compare_button.click(
            run_compare,
            [compare_topic, compare_provinces, lang],
            [compare_out, compare_csv, compare_xlsx],
            concurrency_id="ask",
            show_progress="minimal",  # no English overlay over the results
            **private,
        )
        # a new topic or choice of provinces: the files of the last comparison no longer match
        for component in (compare_topic, compare_provinces):
            component.change(
                lambda: (gr.update(visible=False), gr.update(visible=False)),
                None,
                [compare_csv, compare_xlsx],
                queue=False,
                show_progress="hidden",
                **private,
            )

        labelled = [
            header,
            tab_chat,
            tab_resp,
            tab_compare,
            tab_source,
            tab_about,
            chat_provinces,
            chatbot,
            question,
            send,
            clear,
            suggested,
            examples,
            passages_title,
            resp_intro,
            resp_provinces,
            resp_agency,
            resp_text,
            resp_kind,
            resp_csv,
            resp_xlsx,
            compare_intro,
            compare_topic,
            compare_provinces,
            compare_button,
            compare_csv,
            compare_xlsx,
            viewer_plan,
        ]

        def switch_language(new_lang, topic, ans, plan_id):
            new_lang = _lang(new_lang)
            shown = [a for a in ans or [] if a is not None]
            panel = panel_html(assistant, shown[-1], new_lang) if shown else empty_passages(new_lang)
            return [
                new_lang,
                *relabel(new_lang, assistant),
                panel,
                about_html(assistant, new_lang),
                _translate_topic(topic, new_lang),
                read_plan(assistant, plan_id, new_lang)
                if plan_id
                else panel_message(s(new_lang, "viewer_empty")),
            ]

        lang_radio.change(
            switch_language,
            [lang_radio, compare_topic, answers, viewer_plan],
            [lang, *labelled, passages, about, compare_topic, viewer],
            **private,
        ).then(resp_view, resp_inputs, [resp_table, resp_count, resp_csv, resp_xlsx], **private).then(
            resp_files, resp_inputs, [resp_csv, resp_xlsx], show_progress="hidden", **private
        )

        demo.load(resp_files, resp_inputs, [resp_csv, resp_xlsx], show_progress="hidden", **private)

        register_api(assistant)

    return demo
