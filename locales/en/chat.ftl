# The creative agent (/chat).
chat-title = Chat
chat-conversation = Conversation
chat-blank-body = Describe what you want to see. The agent thinks it through, answers, and proposes up to eight images you can generate right here.
chat-sidebar = Your chats
chat-list = Chats
chat-new = New chat
chat-search = Search chats
chat-none = No chats yet.
chat-untitled = New chat
chat-message-label = Message
chat-message-placeholder = A poster of a lighthouse in a storm…
chat-send = Send
chat-stop = Stop
chat-title-label = Chat title
chat-rename = Rename
chat-delete = Delete
chat-delete-confirm = Delete this chat
chat-forked-from = Forked from another chat: open it
chat-branch-previous = Previous version
chat-branch-next = Next version
chat-fork = Fork
chat-edit = Edit
chat-edit-label = Edit your message
chat-edit-send = Send as a new version
chat-regenerate = Regenerate
chat-retry = Try again
chat-thinking = Thinking…
chat-thought = How the agent read you
chat-think-belief = The idea
chat-think-intention = What you want
chat-think-preference = What you like
chat-think-persona = Who you seem to be
chat-think-other = Notes
chat-writing = Writing…
chat-stopped = Stopped. What was written is kept.
chat-suggestions-malformed = { $count ->
    [one] 1 suggestion was malformed and left out.
   *[other] { $count } suggestions were malformed and left out.
}
chat-suggestions-cut = { $count ->
    [one] 1 more suggestion was left out: a reply keeps at most eight.
   *[other] { $count } more suggestions were left out: a reply keeps at most eight.
}
chat-suggestion-prompt = Prompt
chat-suggestion-ratio = Aspect ratio
chat-suggestion-model = Image model
chat-suggestion-price = { $credits ->
    [one] 1 credit
   *[other] { $credits } credits
}
chat-generate = Generate
chat-generate-again = Generate again
chat-failure-auth = The chat model's provider refused our key. An admin needs to check it.
chat-failure-quota = The chat model's provider account has run out of credit.
chat-failure-moderation = The chat model's safety filter refused this conversation.
chat-failure-transient = The chat model could not be reached or broke off. Try again in a moment.
chat-failure-rejected-input = The chat model refused this request.
chat-failure-unknown = The chat model answered something we could not read.
chat-failure-interrupted = The reply was interrupted when the server stopped.
field-message = the message
field-title = the title
field-parent_id = the message answered
field-message_id = the message
field-suggestion_index = the suggestion
error-reason-not-a-chat-model = it is not a chat model.
error-reason-unknown-message = there is no such message in this chat.
error-reason-not-a-reply = it must be one of the agent's replies.
error-reason-unknown-suggestion = that reply has no such suggestion.
conflict-chat-busy = a reply is still being written in this chat; wait for it or stop it
chat-model = Chat model
chat-variants = Replies
field-variants = the number of replies
error-reason-variants-range = ask for 1 to 4 replies at once.
chat-auto-generate = Generate each suggested image as soon as it appears
chat-cost = { $credits ->
    [0] Free to send
    [one] Costs at most 1 credit
   *[other] Costs at most { $credits } credits
}
chat-cost-detail = Agent: { $agent } per reply × { $variants }; auto-generated images: up to { $images }
chat-cost-short = More than you can spend now ({ $available } available).
chat-attachments = Attached images
chat-attachment-alt = An attached image
chat-attachment-remove = Remove this image
chat-attach = Attach images ({ $count }/{ $max })
chat-attach-upload = Upload images
chat-attach-none = No images in your library yet. Upload one above.
chat-attach-library = Images in your library
chat-attach-option = Attach { $name }
field-attachments = the attached images
error-reason-too-many-attachments = a message carries at most 4 images.
error-reason-attachment-not-an-image = only images can be attached.
error-reason-attachment-repeated = the same image is attached twice.
chat-compare = Compare models
chat-compare-pick = Image models to compare (2 to 4)
chat-compare-run = Generate side by side
chat-compare-took = took { $seconds } s
field-model_ids = the models to compare
error-reason-compare-count = choose 2 to 4 image models.
error-reason-compare-repeated = each model can be chosen once.
error-reason-not-an-image-model = it is not an image model.
