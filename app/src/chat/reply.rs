//! Reads an agent reply while it streams. A reply is raw text: an optional
//! `<think>` block (belief_prompt, user_intention, user_preference,
//! user_persona), the answer in Markdown, and image suggestions as a JSON list
//! inside `<images>…</images>` (the `propose_images` tool call's arguments
//! arrive in the same tags). The same parser runs on the server and in the
//! browser, on whatever has arrived so far: a half-written tag is held back,
//! and a suggestion appears as soon as its JSON object is closed. Malformed
//! suggestions are counted and dropped; more than eight are cut to eight.

use serde::{Deserialize, Serialize};

/// The aspect ratios a suggestion may ask for.
pub const ASPECT_RATIOS: [&str; 10] = [
    "1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9",
];

/// The most suggestions one reply keeps.
pub const MAX_SUGGESTIONS: usize = 8;

/// The longest suggestion title and prompt kept, in characters.
pub const MAX_TITLE: usize = 120;
pub const MAX_PROMPT: usize = 2000;

const THINK_OPEN: &str = "<think>";
const THINK_CLOSE: &str = "</think>";
const IMAGES_OPEN: &str = "<images>";
const IMAGES_CLOSE: &str = "</images>";

/// The agent's reading of the person, from its `<think>` block.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Think {
    pub belief_prompt: String,
    pub user_intention: String,
    pub user_preference: String,
    pub user_persona: String,
    /// Lines outside the four fields.
    pub other: String,
    /// Whether `</think>` has arrived.
    pub complete: bool,
}

/// One image idea: what to call it, what to draw, in which shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    pub title: String,
    pub prompt: String,
    pub aspect_ratio: String,
}

/// A reply, read as far as it has arrived.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ParsedReply {
    pub think: Option<Think>,
    /// The answer, in Markdown.
    pub text: String,
    /// At most [`MAX_SUGGESTIONS`], in order.
    pub suggestions: Vec<Suggestion>,
    /// Suggestions dropped because they were malformed.
    pub malformed: usize,
    /// Well-formed suggestions beyond the eight kept.
    pub cut: usize,
}

/// Parses `raw`; `finished` says nothing more will arrive (a half tag is then text).
pub fn parse_reply(raw: &str, finished: bool) -> ParsedReply {
    let mut reply = ParsedReply::default();
    let trimmed = raw.trim_start();
    let body = if let Some(after) = trimmed.strip_prefix(THINK_OPEN) {
        match after.find(THINK_CLOSE) {
            Some(end) => {
                reply.think = Some(read_think(&after[..end], true));
                &after[end + THINK_CLOSE.len()..]
            }
            None => {
                let inside = if finished {
                    after
                } else {
                    hold_partial_tag(after, THINK_CLOSE)
                };
                reply.think = Some(read_think(inside, false));
                ""
            }
        }
    } else if !finished && !trimmed.is_empty() && THINK_OPEN.starts_with(trimmed) {
        // `<thi`: wait to see whether a think block begins.
        ""
    } else {
        raw
    };

    let (text, section, closed) = match body.find(IMAGES_OPEN) {
        Some(start) => {
            let after = &body[start + IMAGES_OPEN.len()..];
            match after.find(IMAGES_CLOSE) {
                Some(end) => {
                    let mut text = body[..start].to_string();
                    text.push_str(&after[end + IMAGES_CLOSE.len()..]);
                    (text, Some(&after[..end]), true)
                }
                None => (body[..start].to_string(), Some(after), finished),
            }
        }
        None if finished => (body.to_string(), None, true),
        None => (hold_partial_tag(body, IMAGES_OPEN).to_string(), None, false),
    };
    reply.text = text.trim().to_string();

    if let Some(section) = section {
        let found = split_objects(section);
        let mut valid = Vec::new();
        for object in &found.objects {
            match read_suggestion(object) {
                Some(s) => valid.push(s),
                None => reply.malformed += 1,
            }
        }
        reply.malformed += found.stray;
        if closed {
            if found.open_object {
                reply.malformed += 1;
            }
            if !found.array_seen && !section.trim().is_empty() {
                reply.malformed += 1;
            }
        }
        reply.cut = valid.len().saturating_sub(MAX_SUGGESTIONS);
        valid.truncate(MAX_SUGGESTIONS);
        reply.suggestions = valid;
    }
    reply
}

/// `text` without a trailing beginning of `tag` (`…<ima` while `<images>` may be coming).
fn hold_partial_tag<'a>(text: &'a str, tag: &str) -> &'a str {
    for len in (1..tag.len()).rev() {
        if text.ends_with(&tag[..len]) {
            return &text[..text.len() - len];
        }
    }
    text
}

fn read_think(inside: &str, complete: bool) -> Think {
    let mut think = Think {
        complete,
        ..Think::default()
    };
    // While it streams, a last line that may still become `user_intention:`
    // waits, rather than showing as part of the field before it.
    let inside = match inside.rsplit_once('\n') {
        Some((done, last)) if !complete && may_become_key(last) => done,
        None if !complete && may_become_key(inside) => "",
        _ => inside,
    };
    // Which field a continuation line belongs to.
    let mut current: Option<usize> = None;
    for line in inside.lines() {
        let clean = line.trim().trim_start_matches(['-', '*', ' ']);
        let field = clean.split_once(':').and_then(|(key, value)| {
            let key = key
                .trim()
                .trim_matches('*')
                .to_ascii_lowercase()
                .replace(' ', "_");
            let index = THINK_KEYS.iter().position(|k| *k == key)?;
            Some((index, value.trim()))
        });
        let (index, value) = match field {
            Some((index, value)) => {
                current = Some(index);
                (Some(index), value)
            }
            None => (current, line.trim()),
        };
        if value.is_empty() {
            continue;
        }
        let slot = match index {
            Some(0) => &mut think.belief_prompt,
            Some(1) => &mut think.user_intention,
            Some(2) => &mut think.user_preference,
            Some(3) => &mut think.user_persona,
            _ => &mut think.other,
        };
        if !slot.is_empty() {
            slot.push('\n');
        }
        slot.push_str(value);
    }
    think
}

const THINK_KEYS: [&str; 4] = [
    "belief_prompt",
    "user_intention",
    "user_preference",
    "user_persona",
];

fn may_become_key(line: &str) -> bool {
    let clean = line
        .trim()
        .trim_start_matches(['-', '*', ' '])
        .to_ascii_lowercase();
    !clean.is_empty() && !clean.contains(':') && THINK_KEYS.iter().any(|k| k.starts_with(&clean))
}

fn read_suggestion(object: &str) -> Option<Suggestion> {
    let value: serde_json::Value = serde_json::from_str(object).ok()?;
    let field = |name: &str, max: usize| {
        let text = value.get(name)?.as_str()?.trim();
        (!text.is_empty() && text.chars().count() <= max).then(|| text.to_string())
    };
    let aspect_ratio = field("aspect_ratio", 8)?;
    if !ASPECT_RATIOS.contains(&aspect_ratio.as_str()) {
        return None;
    }
    Some(Suggestion {
        title: field("title", MAX_TITLE)?,
        prompt: field("prompt", MAX_PROMPT)?,
        aspect_ratio,
    })
}

/// The complete objects of the first JSON array in `section`, as text.
#[derive(Debug, Default)]
struct Split<'a> {
    objects: Vec<&'a str>,
    /// Elements of the array that are not objects.
    stray: usize,
    /// An object began but has not closed.
    open_object: bool,
    array_seen: bool,
}

fn split_objects(section: &str) -> Split<'_> {
    let mut split = Split::default();
    let mut in_string = false;
    let mut escaped = false;
    // Nesting below the array (0: between its elements).
    let mut depth = 0usize;
    let mut object_start = None;
    let mut in_stray = false;
    for (i, c) in section.char_indices() {
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        if !split.array_seen {
            match c {
                '"' => in_string = true,
                '[' => split.array_seen = true,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                if depth == 0 && !in_stray {
                    in_stray = true;
                    split.stray += 1;
                }
                in_string = true;
            }
            '{' | '[' => {
                if depth == 0 {
                    if c == '{' {
                        object_start = Some(i);
                    } else if !in_stray {
                        in_stray = true;
                        split.stray += 1;
                    }
                }
                depth += 1;
            }
            '}' | ']' => {
                if depth == 0 {
                    // The end of the array: anything after it is ignored.
                    break;
                }
                depth -= 1;
                if depth == 0
                    && c == '}'
                    && let Some(start) = object_start.take()
                {
                    split.objects.push(&section[start..=i]);
                }
            }
            ',' if depth == 0 => in_stray = false,
            c if depth == 0 && !c.is_whitespace() && !in_stray => {
                in_stray = true;
                split.stray += 1;
            }
            _ => {}
        }
    }
    split.open_object = object_start.is_some();
    split
}

#[cfg(test)]
mod tests;
