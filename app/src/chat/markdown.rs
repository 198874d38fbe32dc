//! A small Markdown reader for agent replies. It produces blocks and inline
//! pieces that the page renders as ordinary elements with text nodes, so no
//! HTML the model writes ever reaches the page as markup (`<script>` shows as
//! the text `<script>`), and only `http(s)` links become links.

/// A piece of text inside a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    Text(String),
    Strong(String),
    Emphasis(String),
    Code(String),
    /// A link to an `http` or `https` address.
    Link {
        text: String,
        url: String,
    },
}

/// A block of a reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Heading(u8, Vec<Inline>),
    Paragraph(Vec<Inline>),
    List {
        ordered: bool,
        items: Vec<Vec<Inline>>,
    },
    Quote(Vec<Inline>),
    Code(String),
}

/// Reads `text` into blocks.
pub fn parse_markdown(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut list: Option<(bool, Vec<Vec<Inline>>)> = None;
    let mut code: Option<Vec<&str>> = None;
    let flush_paragraph = |paragraph: &mut Vec<&str>, blocks: &mut Vec<Block>| {
        if !paragraph.is_empty() {
            blocks.push(Block::Paragraph(parse_inline(&paragraph.join(" "))));
            paragraph.clear();
        }
    };
    let flush_list = |list: &mut Option<(bool, Vec<Vec<Inline>>)>, blocks: &mut Vec<Block>| {
        if let Some((ordered, items)) = list.take() {
            blocks.push(Block::List { ordered, items });
        }
    };
    for line in text.lines() {
        if let Some(lines) = &mut code {
            if line.trim_start().starts_with("```") {
                blocks.push(Block::Code(lines.join("\n")));
                code = None;
            } else {
                lines.push(line);
            }
            continue;
        }
        let trimmed = line.trim();
        if trimmed.starts_with("```") {
            flush_paragraph(&mut paragraph, &mut blocks);
            flush_list(&mut list, &mut blocks);
            code = Some(Vec::new());
            continue;
        }
        if trimmed.is_empty() {
            flush_paragraph(&mut paragraph, &mut blocks);
            flush_list(&mut list, &mut blocks);
            continue;
        }
        if let Some((level, rest)) = heading(trimmed) {
            flush_paragraph(&mut paragraph, &mut blocks);
            flush_list(&mut list, &mut blocks);
            blocks.push(Block::Heading(level, parse_inline(rest)));
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix("> ") {
            flush_paragraph(&mut paragraph, &mut blocks);
            flush_list(&mut list, &mut blocks);
            blocks.push(Block::Quote(parse_inline(rest)));
            continue;
        }
        if let Some((ordered, rest)) = list_item(trimmed) {
            flush_paragraph(&mut paragraph, &mut blocks);
            match &mut list {
                Some((o, items)) if *o == ordered => items.push(parse_inline(rest)),
                _ => {
                    flush_list(&mut list, &mut blocks);
                    list = Some((ordered, vec![parse_inline(rest)]));
                }
            }
            continue;
        }
        if list.is_some() && line.starts_with("  ") {
            // A continuation of the last item.
            if let Some((_, items)) = &mut list
                && let Some(last) = items.last_mut()
            {
                last.push(Inline::Text(" ".into()));
                last.extend(parse_inline(trimmed));
            }
            continue;
        }
        flush_list(&mut list, &mut blocks);
        paragraph.push(trimmed);
    }
    if let Some(lines) = code {
        // Still streaming: show what there is.
        blocks.push(Block::Code(lines.join("\n")));
    }
    flush_paragraph(&mut paragraph, &mut blocks);
    flush_list(&mut list, &mut blocks);
    blocks
}

fn heading(line: &str) -> Option<(u8, &str)> {
    let hashes = line.chars().take_while(|&c| c == '#').count();
    if (1..=4).contains(&hashes) {
        let rest = line[hashes..].strip_prefix(' ')?;
        return Some((hashes as u8, rest.trim()));
    }
    None
}

fn list_item(line: &str) -> Option<(bool, &str)> {
    for bullet in ["- ", "* ", "+ "] {
        if let Some(rest) = line.strip_prefix(bullet) {
            return Some((false, rest));
        }
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if (1..=3).contains(&digits) {
        let rest = &line[digits..];
        let rest = rest
            .strip_prefix(". ")
            .or_else(|| rest.strip_prefix(") "))?;
        return Some((true, rest));
    }
    None
}

/// Reads `**strong**`, `*emphasis*`/`_emphasis_`, `` `code` `` and `[text](https://…)`.
pub fn parse_inline(text: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut plain = String::new();
    let mut rest = text;
    let push_plain = |plain: &mut String, out: &mut Vec<Inline>| {
        if !plain.is_empty() {
            out.push(Inline::Text(std::mem::take(plain)));
        }
    };
    while let Some(c) = rest.chars().next() {
        let found = if let Some(strong) = rest.strip_prefix("**") {
            closed(strong, "**").map(|(inner, after)| (Inline::Strong(inner.into()), after))
        } else if c == '`' {
            closed(&rest[1..], "`").map(|(inner, after)| (Inline::Code(inner.into()), after))
        } else if c == '*' || c == '_' {
            let marker = &rest[..1];
            closed(&rest[1..], marker)
                .filter(|(inner, _)| !inner.starts_with(' '))
                .map(|(inner, after)| (Inline::Emphasis(inner.into()), after))
        } else if c == '[' {
            link(rest)
        } else {
            None
        };
        match found {
            Some((inline, after)) => {
                push_plain(&mut plain, &mut out);
                out.push(inline);
                rest = after;
            }
            None => {
                plain.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    push_plain(&mut plain, &mut out);
    out
}

/// The text up to `marker` (not empty) and what follows the marker.
fn closed<'a>(text: &'a str, marker: &str) -> Option<(&'a str, &'a str)> {
    let end = text.find(marker)?;
    (end > 0).then(|| (&text[..end], &text[end + marker.len()..]))
}

fn link(text: &str) -> Option<(Inline, &str)> {
    let close = text.find("](")?;
    let label = &text[1..close];
    let after = &text[close + 2..];
    let end = after.find(')')?;
    let url = after[..end].trim();
    let lower = url.to_ascii_lowercase();
    if label.is_empty() || !(lower.starts_with("https://") || lower.starts_with("http://")) {
        return None;
    }
    Some((
        Inline::Link {
            text: label.to_string(),
            url: url.to_string(),
        },
        &after[end + 1..],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_and_inlines_are_read() {
        let blocks = parse_markdown(
            "# Ideas\nHere are **two** for *you*:\n\n1. First `one`\n2. Second\n\n- a\n- b\n\n> quoted\n```\nlet x = 1;\n```",
        );
        assert_eq!(
            blocks[0],
            Block::Heading(1, vec![Inline::Text("Ideas".into())])
        );
        assert_eq!(
            blocks[1],
            Block::Paragraph(vec![
                Inline::Text("Here are ".into()),
                Inline::Strong("two".into()),
                Inline::Text(" for ".into()),
                Inline::Emphasis("you".into()),
                Inline::Text(":".into()),
            ])
        );
        assert!(matches!(&blocks[2], Block::List { ordered: true, items } if items.len() == 2));
        assert!(matches!(&blocks[3], Block::List { ordered: false, items } if items.len() == 2));
        assert_eq!(blocks[4], Block::Quote(vec![Inline::Text("quoted".into())]));
        assert_eq!(blocks[5], Block::Code("let x = 1;".into()));
    }

    #[test]
    fn html_stays_text_and_only_web_links_link() {
        let inline = parse_inline(
            "<script>alert(1)</script> [x](javascript:alert(1)) [ok](https://example.com)",
        );
        assert_eq!(
            inline[0],
            Inline::Text("<script>alert(1)</script> [x](javascript:alert(1)) ".into())
        );
        assert_eq!(
            inline[1],
            Inline::Link {
                text: "ok".into(),
                url: "https://example.com".into()
            }
        );
    }

    #[test]
    fn unclosed_markers_are_plain_text() {
        assert_eq!(
            parse_inline("2 * 3 and **half"),
            vec![Inline::Text("2 * 3 and **half".into())]
        );
    }
}
