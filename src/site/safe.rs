//! Document text to HTML, safely: Markdown is rendered by pulldown-cmark,
//! but raw HTML in a document is shown as text, images become their
//! alternative text, and only `http`, `https` and `mailto` links survive;
//! every other link (`javascript:`, `data:`, relative) keeps its words and
//! loses its target.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, html};

/// Whether a link target may become an `href`.
pub fn safe_url(url: &str) -> bool {
    let u = url.trim().to_ascii_lowercase();
    u.starts_with("https://") || u.starts_with("http://") || u.starts_with("mailto:")
}

fn sanitised(md: &str) -> Vec<Event<'_>> {
    let mut out = Vec::new();
    // For each open link: whether it was kept.
    let mut links: Vec<bool> = Vec::new();
    for ev in Parser::new_ext(md, Options::empty()) {
        match ev {
            Event::Html(h) | Event::InlineHtml(h) => out.push(Event::Text(h)),
            Event::Start(Tag::Link {
                dest_url,
                link_type,
                title,
                id,
            }) => {
                let keep = safe_url(&dest_url);
                links.push(keep);
                if keep {
                    out.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                }
            }
            Event::End(TagEnd::Link) => {
                if links.pop().unwrap_or(false) {
                    out.push(Event::End(TagEnd::Link));
                }
            }
            // An image shows as its alternative text.
            Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => {}
            Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => {}
            other => out.push(other),
        }
    }
    out
}

/// A block of Markdown (a front-matter section) as safe HTML.
pub fn block(md: &str) -> String {
    let mut s = String::new();
    html::push_html(&mut s, sanitised(md).into_iter());
    s
}

/// Inline Markdown (an item's text) as safe HTML, without the paragraph
/// around it.
pub fn inline(md: &str) -> String {
    let events: Vec<Event<'_>> = sanitised(md)
        .into_iter()
        .filter(|e| {
            !matches!(
                e,
                Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph)
            )
        })
        .collect();
    let mut s = String::new();
    html::push_html(&mut s, events.into_iter());
    s.trim_end().to_string()
}

/// Markdown as the words a reader sees, without markup or link targets
/// (for search excerpts and the search index).
pub fn plain(md: &str) -> String {
    let mut s = String::new();
    for ev in sanitised(md) {
        match ev {
            Event::Text(t) | Event::Code(t) => s.push_str(&t),
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            Event::End(TagEnd::Paragraph) => s.push(' '),
            _ => {}
        }
    }
    crate::text::normalise(&s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_keeps_the_words_only() {
        assert_eq!(
            plain("the **bold** and [a link](https://x.org) and <b>tag</b>"),
            "the bold and a link and <b>tag</b>"
        );
    }

    #[test]
    fn markup_in_documents_stays_text() {
        let h = inline("States <script>alert(1)</script> and <img src=x onerror=alert(2)> act.");
        assert!(!h.contains("<script"), "{h}");
        assert!(!h.contains("<img"), "{h}");
        assert!(h.contains("&lt;script&gt;"), "{h}");
    }

    #[test]
    fn only_web_and_mail_links_survive() {
        let h = inline(
            "[a](javascript:alert(1)) [b](https://undocs.org/x) [c](#) [d](mailto:x@y.org) [e](data:text/html,x) [f](JaVaScRiPt:x)",
        );
        assert!(!h.to_lowercase().contains("javascript"), "{h}");
        assert!(!h.contains("data:"), "{h}");
        assert!(h.contains(r#"<a href="https://undocs.org/x">b</a>"#), "{h}");
        assert!(h.contains(r#"<a href="mailto:x@y.org">d</a>"#), "{h}");
        assert!(h.contains('a') && h.contains('c') && h.contains('e'));
        assert_eq!(h.matches("<a ").count(), 2, "{h}");
    }

    #[test]
    fn emphasis_and_lists_render() {
        assert_eq!(
            inline("the *inter alia* case"),
            "the <em>inter alia</em> case"
        );
        let b = block("Intro:\n\n- one\n- two\n");
        assert!(b.contains("<li>one</li>"), "{b}");
    }

    #[test]
    fn images_become_their_words() {
        let h = inline("see ![a chart](x.png) here");
        assert_eq!(h, "see a chart here");
    }
}
