//! A minimal server-sent-events decoder for chat streams. Network reads split
//! events anywhere (even inside a UTF-8 character), so bytes are buffered until
//! a full line arrives and events are emitted at the blank line that ends them.

/// One decoded event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SseEvent {
    /// The event's `data:` lines, joined by `\n`.
    Data(String),
    /// The `[DONE]` sentinel OpenAI sends last.
    Done,
}

/// Incremental SSE decoder: feed it chunks, get the complete events so far.
#[derive(Debug, Default)]
pub struct SseDecoder {
    buffer: Vec<u8>,
    data: Option<String>,
    done: bool,
}

impl SseDecoder {
    /// Adds a chunk and returns the events it completed.
    pub fn push(&mut self, chunk: &[u8]) -> Vec<SseEvent> {
        self.buffer.extend_from_slice(chunk);
        let mut events = Vec::new();
        while let Some(pos) = self.buffer.iter().position(|&b| b == b'\n') {
            let mut line: Vec<u8> = self.buffer.drain(..=pos).collect();
            line.pop();
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            let line = String::from_utf8_lossy(&line);
            if line.is_empty() {
                if let Some(data) = self.data.take() {
                    events.push(self.event(data));
                }
            } else if let Some(value) = line.strip_prefix("data:") {
                let value = value.strip_prefix(' ').unwrap_or(value);
                match &mut self.data {
                    Some(data) => {
                        data.push('\n');
                        data.push_str(value);
                    }
                    None => self.data = Some(value.to_string()),
                }
            }
            // Comments (`:`) and other fields (`event:`, `id:`) carry nothing we use.
        }
        events
    }

    /// Whether `[DONE]` has been seen.
    pub fn saw_done(&self) -> bool {
        self.done
    }

    fn event(&mut self, data: String) -> SseEvent {
        if data.trim() == "[DONE]" {
            self.done = true;
            SseEvent::Done
        } else {
            SseEvent::Data(data)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_split_at_every_byte_are_reassembled() {
        let stream = "data: {\"a\":\"h\u{e9}\"}\r\n\r\n: keep-alive\n\ndata: [DONE]\n\n";
        let mut decoder = SseDecoder::default();
        let mut events = Vec::new();
        for byte in stream.as_bytes() {
            events.extend(decoder.push(std::slice::from_ref(byte)));
        }
        assert_eq!(
            events,
            vec![SseEvent::Data("{\"a\":\"h\u{e9}\"}".into()), SseEvent::Done]
        );
        assert!(decoder.saw_done());
    }

    #[test]
    fn multi_line_data_is_joined() {
        let mut decoder = SseDecoder::default();
        let events = decoder.push(b"data: one\ndata: two\n\n");
        assert_eq!(events, vec![SseEvent::Data("one\ntwo".into())]);
    }
}
