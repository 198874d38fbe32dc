use super::*;

fn idea(n: usize, ratio: &str) -> String {
    format!(
        r#"{{"title": "Idea {n}", "prompt": "a lighthouse, take {n}", "aspect_ratio": "{ratio}"}}"#
    )
}

const FULL: &str = "<think>\nbelief_prompt: a lighthouse at night\nuser_intention: a poster\nuser_preference: moody\nuser_persona: a designer\n</think>\nHere are **two** ideas.\n<images>[{\"title\": \"Storm\", \"prompt\": \"a lighthouse in a storm\", \"aspect_ratio\": \"16:9\"}, {\"title\": \"Calm\", \"prompt\": \"a lighthouse at dawn\", \"aspect_ratio\": \"4:5\"}]</images>";

#[test]
fn a_whole_reply_reads_into_think_text_and_suggestions() {
    let reply = parse_reply(FULL, true);
    let think = reply.think.unwrap();
    assert_eq!(think.belief_prompt, "a lighthouse at night");
    assert_eq!(think.user_intention, "a poster");
    assert_eq!(think.user_preference, "moody");
    assert_eq!(think.user_persona, "a designer");
    assert!(think.complete);
    assert_eq!(reply.text, "Here are **two** ideas.");
    assert_eq!(reply.suggestions.len(), 2);
    assert_eq!(reply.suggestions[1].aspect_ratio, "4:5");
    assert_eq!((reply.malformed, reply.cut), (0, 0));
}

#[test]
fn every_prefix_parses_without_leaking_tags_and_suggestions_only_grow() {
    let mut seen = 0;
    for end in 0..=FULL.len() {
        if !FULL.is_char_boundary(end) {
            continue;
        }
        let reply = parse_reply(&FULL[..end], false);
        assert!(
            !reply.text.contains('<'),
            "a tag leaked at {end}: {:?}",
            reply.text
        );
        if let Some(think) = &reply.think {
            assert!(!think.other.contains('<'), "{end}: {think:?}");
        }
        assert!(reply.suggestions.len() >= seen, "suggestions never go away");
        seen = reply.suggestions.len();
        assert_eq!(
            reply.malformed, 0,
            "nothing is malformed while it streams: {end}"
        );
    }
    assert_eq!(seen, 2);
}

#[test]
fn a_suggestion_appears_as_soon_as_its_object_closes() {
    let first_end = FULL.find("16:9\"}").unwrap() + "16:9\"}".len();
    assert_eq!(
        parse_reply(&FULL[..first_end - 1], false).suggestions.len(),
        0
    );
    let reply = parse_reply(&FULL[..first_end], false);
    assert_eq!(reply.suggestions.len(), 1);
    assert_eq!(reply.suggestions[0].title, "Storm");
}

#[test]
fn a_think_block_streams_open_and_half_tags_are_held_back() {
    let reply = parse_reply("<think>belief_prompt: cats\nuser_inten", false);
    let think = reply.think.unwrap();
    assert!(!think.complete);
    assert_eq!(think.belief_prompt, "cats");
    assert_eq!(parse_reply("<thi", false), ParsedReply::default());
    assert_eq!(parse_reply("Hello <ima", false).text, "Hello");
    assert_eq!(parse_reply("Hello <ima", true).text, "Hello <ima");
    assert_eq!(parse_reply("a < b", false).text, "a < b");
}

#[test]
fn malformed_items_are_dropped_and_counted() {
    let raw = format!(
        "Ideas<images>[{}, {{\"title\": \"No prompt\", \"aspect_ratio\": \"1:1\"}}, {}, {{\"title\": \"x\", \"prompt\": \"y\", \"aspect_ratio\": \"7:3\"}}, 42, {{\"title\": \"cut",
        idea(1, "1:1"),
        idea(2, "21:9")
    );
    let streaming = parse_reply(&raw, false);
    assert_eq!(streaming.suggestions.len(), 2);
    // The missing prompt, the unknown ratio and the number.
    assert_eq!(streaming.malformed, 3);
    let ended = parse_reply(&raw, true);
    assert_eq!(
        ended.malformed, 4,
        "the object cut off by the end counts too"
    );
    assert_eq!(
        parse_reply("<images>not json at all</images>", true).malformed,
        1
    );
}

#[test]
fn more_than_eight_are_cut_to_eight() {
    let items: Vec<String> = (0..12).map(|n| idea(n, "3:2")).collect();
    let raw = format!("<images>[{}]</images>", items.join(","));
    let reply = parse_reply(&raw, true);
    assert_eq!(reply.suggestions.len(), 8);
    assert_eq!(reply.cut, 4);
    assert_eq!(reply.suggestions[7].title, "Idea 7");
}

#[test]
fn tool_call_arguments_read_like_the_tagged_list() {
    let raw = format!(
        "Sure.<images>{{\"images\": [{}, {}]}}</images>",
        idea(1, "9:16"),
        idea(2, "2:3")
    );
    let reply = parse_reply(&raw, true);
    assert_eq!(reply.text, "Sure.");
    assert_eq!(reply.suggestions.len(), 2);
    assert_eq!(reply.malformed, 0);
}

#[test]
fn strings_with_brackets_and_escapes_do_not_confuse_the_splitter() {
    let raw = r#"<images>[{"title": "A } tricky [one]", "prompt": "say \"hi\" {now}", "aspect_ratio": "5:4"}]</images>"#;
    let reply = parse_reply(raw, true);
    assert_eq!(reply.suggestions.len(), 1, "{reply:?}");
    assert_eq!(reply.suggestions[0].prompt, "say \"hi\" {now}");
}
