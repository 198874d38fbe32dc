## Shell
nav-label = Main
nav-menu = Menu
nav-chat = Chat
nav-storyboard = Storyboard
nav-library = Library
nav-credits = Credits
nav-profile = Profile
nav-admin = Admin
skip-to-content = Skip to content
footer-tagline = Framewright — a self-hostable AI creative studio.
language-label = Language
theme-system = Theme: follow the system
theme-light = Theme: light
theme-dark = Theme: dark
load-failure-body = Part of Framewright could not load (the connection may have dropped). Reload the page to continue; nothing you saved is lost.
load-failure-reload = Reload
action-dismiss = Dismiss
dialog-close = Close
loading = Loading…
coming-soon-title = Coming soon

## Home
home-title = Home
home-eyebrow = Images, clips and films from one studio
home-headline = Turn an idea into images, clips and a finished film.
home-lead = Chat with a creative agent that proposes and generates images, animate them with a dozen video models, and cut the clips into one film — on your own machine.
home-cta-chat = Start a chat
home-cta-storyboard = Build a storyboard
home-idea-heading = A spark to start with
home-idea-next = Another idea
home-idea-1 = A lighthouse keeper's cat watching a storm roll in, warm lamplight, 35 mm film.
home-idea-2 = Paper boats racing down a rain-soaked Shanghai alley at dusk, neon reflections.
home-idea-3 = A tiny astronaut tending a greenhouse on the Moon, soft morning light.
home-idea-4 = An old tram crossing a bridge made of books, watercolour style.
home-idea-5 = A koi fish swimming through clouds above a quiet mountain village.
home-idea-6 = A street food stall on Mars, steam rising, cinematic wide shot.
home-features-label = What you can do
home-feature-chat-title = A creative agent
home-feature-chat-body = Describe what you want; the agent proposes up to eight ideas and generates them side by side.
home-feature-video-title = A dozen video models
home-feature-video-body = Animate any image with Seedance, Kling, Veo, Sora, Hailuo, Wan, Runway or Grok.
home-feature-storyboard-title = Storyboards to films
home-feature-storyboard-body = Story, frames, clips — then one film, merged right in your browser.
home-feature-library-title = A shared library
home-feature-library-body = Projects and collections with every detail of how each piece was made; share them with collaborators or viewers.
home-feature-credits-title = Honest credits
home-feature-credits-body = Every generation shows its price before you click and is refunded if it fails.
home-feature-selfhost-title = Yours to run
home-feature-selfhost-body = One program, no setup: SQLite and local disk on a laptop, PostgreSQL and S3 when you grow.

## Pages
not-found-title = Page not found
not-found-body = There is nothing at this address. It may have moved, or the link may be mistyped.
not-found-home = Back to the home page
storyboard-coming-soon = Storyboards are being built. Soon you will turn a story into frames, clips and a film here.
admin-title = Admin
admin-refused-title = Admins only
admin-refused-body = This area is for administrators. Sign in with an admin account to continue.
outbox-title = Mail outbox
outbox-lead = This install keeps its mail here instead of sending it, because no SMTP server is configured.
outbox-empty-title = No mail yet
outbox-empty-body = Messages the app sends, such as sign-in codes, will appear here.

## Errors
error-invalid = Please check { $field }: { $reason }
error-unauthorized = Please sign in to continue.
error-forbidden = You are not allowed to do that.
error-not-found = We could not find that.
error-conflict = That clashes with something that already exists ({ $what }).
error-payload-too-large = That file is too large. The limit is { $limit }.
error-unsupported-media-type = That type of file is not supported.
error-insufficient-credits = Not enough credits: this costs { $needed } and your balance is { $balance }, so { $missing ->
    [one] 1 credit is
   *[other] { $missing } credits are
} missing. Ask an admin to add credits to your account.
error-spending-cap = That would go past your daily spending cap of { $cap ->
    [one] 1 credit
   *[other] { $cap } credits
}: { $left ->
    [one] 1 credit is
   *[other] { $left } credits are
} left for today (UTC). Raise or remove the cap on your profile, or wait until tomorrow.
error-rate-limited = Too many attempts. Please try again in { $seconds ->
    [one] 1 second
   *[other] { $seconds } seconds
}.
error-unavailable = The service is briefly unavailable. Please try again shortly.
error-internal = Something went wrong on our side. Please try again.
error-network = Could not reach the server. Check your connection and try again.
error-reason-required = it is required.
error-reason-too-long = it is too long.
error-reason-email = it is not a valid email address.
error-reason-malformed = the request could not be read.
field-email = the email address
field-request = the request

## Sign-in
action-sign-in = Sign in
action-sign-out = Sign out
account-signed-in-as = Signed in as
sign-in-title = Sign in
sign-in-lead = Enter your email and we will send you a six-digit code. New here? The same code creates your account.
field-email-label = Email
field-code-label = Six-digit code
sign-in-send-code = Email me a code
sign-in-code-sent = We sent a code to { $email }. It is valid for 10 minutes.
sign-in-verify = Sign in
sign-in-resend = Send a new code
sign-in-resend-in = Send a new code in { $seconds } s
sign-in-outbox-hint = No mail server is set up on this install.
sign-in-outbox-link = Read your code in the outbox
email-code-subject = Your Framewright sign-in code
email-code-body =
    Your Framewright sign-in code is { $code }.

    It is valid for { $minutes } minutes and works once. If you did not ask for it, you can ignore this email.
error-account-disabled = This account has been disabled. Contact an administrator if you think this is a mistake.
error-reason-code-format = a code has exactly six digits.
error-reason-code-rejected = this code is wrong or has expired. Check it, or ask for a new one.
field-code = the code

admin-outbox-blurb = Mail the app kept instead of sending it.

## Passkeys and profile
sign-in-or = or
sign-in-passkey = Sign in with a passkey
error-reason-passkey-rejected = the passkey could not be verified. Try again, or sign in with an emailed code.
error-reason-passkey-expired = the passkey request expired or was already used. Please try again.
error-reason-passkey-cancelled = the passkey prompt was closed before it finished.
error-reason-unknown-language = choose English or 简体中文.
field-passkey = the passkey
field-name = the name
field-display_name = the display name
field-locale = the language
profile-signed-out-title = You are signed out
profile-signed-out-body = Sign in to see your profile, passkeys and devices.
profile-account = Account
profile-display-name = Display name
profile-language = Language for the app and emails
profile-saved = Profile saved.
action-save = Save
action-create = Create
action-cancel = Cancel
action-close = Close
action-rename = Rename
action-delete = Delete
action-revoke = Sign out
passkeys-title = Passkeys
passkeys-lead = Sign in with your fingerprint, face or device PIN instead of an emailed code.
passkeys-none = No passkeys yet.
passkeys-new-name = Name for a new passkey
passkeys-add = Add a passkey
passkeys-created = Added
passkeys-last-used = last used
passkeys-rename-label = New name
sessions-title = Signed-in devices
sessions-lead = Every browser where your account is signed in. Sign out the ones you do not recognise.
sessions-sign-out-everywhere = Sign out everywhere
sessions-unknown-device = Unknown device
sessions-last-used = Last active
sessions-this-device = This device

## Access
approval-title = Waiting for approval
approval-body = Your account is ready, but an administrator has to approve it before you can create anything. You will be able to start as soon as they do.
gate-signed-out-title = Sign in to continue
gate-signed-out-body = This part of Framewright needs an account. Signing in takes a minute: we email you a code.

## Admin › Users
admin-users-title = Users
admin-users-blurb = Approve new accounts, change roles, disable accounts.
admin-users-search = Search by email or name
admin-users-none = No accounts match.
admin-users-created = joined
admin-users-last-sign-in = last sign-in
admin-users-disabled = disabled
admin-users-approve = Approve
admin-users-make-admin = Make admin
admin-users-make-user = Make user
admin-users-disable = Disable
admin-users-enable = Enable
role-new-user = Waiting for approval
role-user = User
role-admin = Admin
error-reason-not-yourself = you cannot change your own account here.
error-reason-unknown-role = choose new_user, user or admin.
field-user = the account
field-role = the role

error-reason-positive-amount = it must be a positive whole number.
field-amount = the amount

## Credits
credits-balance = Your balance
credits-history = History
credits-filter = Show
credits-kind-all = Everything
credits-kind-grant = Granted
credits-kind-deduct = Deducted
credits-kind-charge = Charge
credits-kind-refund = Refund
credits-kind-purchase = Purchase
credits-kind-subscription = Subscription
credits-kind-adjustment = Adjustment
credits-kind-welcome = Welcome credits
credits-welcome-description = Welcome to Framewright: credits to start with
credits-empty-title = Nothing here yet
credits-empty-body = Credits you receive and spend will be listed here.
credits-balance-after = balance { $balance }
credits-page = Page { $page } of { $pages }
action-previous = Previous
action-next = Next
error-reason-unknown-kind = choose one of the listed kinds.
error-reason-nonzero-amount = it must not be zero.
field-kind = the kind
field-reason = the reason

admin-users-credits = { $credits ->
    [one] 1 credit
   *[other] { $credits } credits
}
admin-credits-amount = Credits (+ grant, − deduct)
admin-credits-reason = Reason
admin-credits-apply = Apply
error-reason-whole-number = enter a whole number such as 500 or -50.

## Models and pricing
admin-models-title = Models and prices
admin-models-blurb = Switch models on or off and set what each generation costs. A formula may use the model's settings as variables; it is checked against every choice before it is saved.
admin-models-needs-key = needs { $var }
admin-models-on = on
admin-models-off = off
admin-models-kind-video = Video
admin-models-kind-image = Image
admin-models-kind-image-edit = Image editing
admin-models-kind-chat = Chat
admin-models-filter-provider = Provider
admin-models-filter-state = State
admin-models-all = All
admin-models-state-on = On
admin-models-state-off = Off
admin-models-state-needs-key = Needs a key
admin-models-none = No model matches these filters.
admin-models-enabled = Offer this model to users
admin-models-formula = Pricing formula (credits)
admin-models-variables = Variables: { $names }
admin-models-custom = changed from the default
admin-models-test = Test the price
admin-models-test-price = Price these settings
admin-models-price = { $credits ->
    [one] 1 credit
   *[other] { $credits } credits
}
admin-models-save = Save
admin-models-saved = Saved.
param-aspect-ratio = Aspect ratio
param-duration = Duration
param-resolution = Resolution
param-generate-audio = Generate audio
param-negative-prompt = Avoid (negative prompt)
param-seed = Seed
param-enable-safety-checker = Safety checker
param-camera-fixed = Fixed camera
param-prompt-optimizer = Improve my prompt
param-enable-prompt-expansion = Expand my prompt
param-cfg-scale = Prompt strength
param-ratio = Frame size
param-image-size = Image size
param-size = Size
param-quality = Quality
param-num-images = Number of images
param-type-text = text
param-type-whole_number = a whole number
param-type-number = a number
param-type-boolean = on or off
time-just-now = just now
time-minutes-ago = { $count ->
    [one] 1 minute ago
   *[other] { $count } minutes ago
}
time-hours-ago = { $count ->
    [one] 1 hour ago
   *[other] { $count } hours ago
}
time-days-ago = { $count ->
    [one] yesterday
   *[other] { $count } days ago
}
setting-on = On
setting-off = Off
setting-seconds = { $seconds } s
setting-pair = { $label }: { $value }
param-value-auto = Auto
param-value-low = Low
param-value-medium = Medium
param-value-high = High
param-value-small = Small
param-value-large = Large
param-value-square-hd = Square HD
param-value-portrait-4-3 = Portrait 4:3
param-value-portrait-16-9 = Portrait 16:9
param-value-landscape-4-3 = Landscape 4:3
param-value-landscape-16-9 = Landscape 16:9
param-value-auto-2k = Auto, 2K
param-value-auto-4k = Auto, 4K
error-invalid-parameter-unknown = This model has no setting called “{ $param }”.
error-invalid-parameter-not-allowed = { $param } must be one of: { $allowed }.
error-invalid-parameter-out-of-range = { $param } must be between { $allowed }.
error-invalid-parameter-wrong-type = { $param } must be { $allowed }.
error-invalid-parameter-too-long = { $param } is longer than { $allowed } characters.
error-invalid-formula-empty = The formula is empty.
error-invalid-formula-too-long = The formula is longer than { $detail } characters.
error-invalid-formula-too-deep = The formula nests deeper than { $detail } levels.
error-invalid-formula-unexpected = The formula has an unexpected “{ $detail }” at character { $at }.
error-invalid-formula-unexpected-end = The formula ends too early: something is missing at the end.
error-invalid-formula-unclosed-string = The text starting at character { $at } is missing its closing quote.
error-invalid-formula-bad-number = “{ $detail }” at character { $at } is not a number.
error-invalid-formula-unknown-variable = The formula uses “{ $detail }”, which is not a setting of this model.
error-invalid-formula-type-mismatch = “{ $detail }” cannot be used with text in this formula.
error-invalid-formula-division-by-zero = The formula divides by zero for some settings.
error-invalid-formula-not-finite = The formula does not give a usable number for some settings.
error-invalid-formula-negative = The formula gives a negative price ({ $detail }) for some settings.
error-model-unavailable = { $model } is not available right now.
field-params = the settings

## Admin: credits
admin-credits-title = Credits ledger
admin-credits-blurb = Every credit movement, totals per period, and the reconciliation check.
admin-credits-filter-email = Account email
admin-credits-filter-from = From
admin-credits-filter-to = To
admin-credits-apply-filter = Filter
admin-credits-summary = Totals
admin-credits-period = Period
admin-credits-period-day = By day
admin-credits-period-week = By week
admin-credits-period-month = By month
admin-credits-granted = Granted
admin-credits-deducted = Deducted
admin-credits-charged = Charged
admin-credits-refunded = Refunded
admin-credits-net = Net
admin-credits-none = No credit movements match.
admin-credits-count = { $count ->
    [one] 1 movement
   *[other] { $count } movements
}
admin-reconcile-title = Reconciliation
admin-reconcile-blurb = Proves that every balance equals the sum of its ledger.
admin-reconcile-run = Run the check
admin-reconcile-ok = { $accounts ->
    [one] The one balance matches its ledger.
   *[other] All { $accounts } balances match their ledgers.
}
admin-reconcile-bad = { $count ->
    [one] 1 balance does not match its ledger:
   *[other] { $count } balances do not match their ledgers:
}
admin-reconcile-row = { $email }: balance { $balance }, ledger { $sum }
error-reason-date = enter a date as YYYY-MM-DD.
error-reason-date-order = it must not be before the start date.
error-reason-period = choose day, week or month.
field-from = the start date
field-to = the end date
field-period = the period
admin-models-card = Switch models on or off and set their prices.
error-reason-media-not-found = choose one of your own images.
error-reason-not-a-media-model = choose an image or video model.
error-reason-frame-unsupported = this model does not take that image.

## Studio and generations
nav-studio = Studio
studio-title = Studio
studio-open = Open the studio
studio-start-frame = Start image
studio-upload = Upload an image
studio-pick-start = Start frame: choose an image
studio-pick-end = End frame: choose an image
studio-pick-start-option = Start frame: { $name }
studio-pick-end-option = End frame: { $name }
studio-no-images = Upload an image to start from; your uploads and generated images appear here.
studio-no-models = No video model is available right now. An admin can switch one on under Admin › Models.
studio-model = Model
studio-prompt = Prompt
studio-prompt-placeholder = Describe the motion: the camera slowly pushes in as waves crash…
studio-end-frame = End image (optional)
studio-no-end-frame = Use no end image
studio-pricing = Working out the price…
studio-price = Costs { $credits ->
    [one] 1 credit
   *[other] { $credits } credits
}
studio-short = Your balance is { $balance }: { $missing ->
    [one] 1 credit short
   *[other] { $missing } credits short
}. Ask an admin to add credits to your account.
studio-generate = Generate video
studio-need-start = Choose or upload a start image first.
upload-progress = Upload progress
generations-title = My generations
generations-filter-status = Status
generations-filter-model = Model
generations-all = All
generations-empty-title = Nothing generated yet
generations-empty-body = Videos you generate in the studio appear here with their progress.
generation-title = Generation
generation-open-in-library = Open in the library
generation-result-deleted = The result was deleted from the library.
generation-download = Download
generation-model = Model
generation-settings = Settings
generation-cost = Cost
generation-created = Created
generation-started = Started
generation-finished = Finished
generation-attempts = Attempts
generation-cancel = Cancel
generation-retry = Try again
job-status-queued = Queued
job-status-running = Generating
job-status-succeeded = Done
job-status-failed = Failed
job-status-cancelled = Cancelled
job-status-dead = Gave up
job-progress = Progress
job-queue = Position { $position } in the queue
job-queue-eta = Position { $position } in the queue, about { $seconds } s
job-percent = { $percent }% done
job-cost = { $credits ->
    [one] 1 credit
   *[other] { $credits } credits
}
job-refunded = { $credits ->
    [one] 1 credit was refunded.
   *[other] { $credits } credits were refunded.
}
job-error-transient = The provider had a temporary problem.
job-error-rejected-input = The provider refused the input.
job-error-moderation = The provider's safety filter refused this.
job-error-quota = The provider's quota is used up.
job-error-auth = The provider refused our credentials.
job-error-unknown = Something went wrong at the provider.
error-reason-empty-file = the file is empty.
error-reason-not-an-image = the file is not a readable image, or it has too many pixels.
field-file = the file
nav-generations = Generations
job-error-timeout = The provider did not answer in time.
conflict-job-finished = the generation has already finished
conflict-job-not-retryable = only a failed, cancelled or abandoned generation can be tried again
conflict-cancel-not-supported = this provider cannot stop a generation once it has started
conflict-idempotency-key = the same request was already made with other values
conflict-refund = that charge was already refunded
conflict-passkey = this passkey is already registered

## Library
library-default-project = My work
library-inbox = Inbox
library-first-collection = Collection
library-sidebar = Projects and collections
library-all-items = All items
library-my-projects = My projects
library-shared-with-me = Shared with me
library-shared-none = Nothing is shared with you yet.
library-new-project = New project
library-new-collection = + New collection
library-project-name = Project name
library-collection-name = Collection name
library-item-name = Item name
library-owned-by = Owned by { $email }
library-view-only = View only
library-collaborator = Collaborator
library-project-empty = This project has no collections you can open.
library-storage = { $used } stored
library-storage-of = { $used } of { $quota } used
library-upload = Upload files
library-upload-to-inbox = Files added here go to your Inbox.
library-search = Search
library-search-placeholder = Words in the prompt or name
library-search-go = Search
library-filter-kind = Type
library-kind-all = All types
library-kind-image = Image
library-kind-video = Video
library-kind-audio = Audio
library-filter-model = Model
library-model-all = All models
library-from = From
library-to = To
library-browse = Projects and storage
library-dates = Dates
library-items = Items
library-count = { $count ->
    [one] 1 item
   *[other] { $count } items
}
library-empty-title = Nothing here yet
library-empty-body = Upload files, or generate images and videos in the studio: they are kept here with everything about how they were made.
library-select-item = Select { $name }
library-selection = Selected items
library-selected = { $count } selected
library-move = Move to…
library-copy = Copy to…
library-clear-selection = Clear selection
library-move-title = Move to another collection
library-copy-title = Copy to another collection
library-destination = Destination
library-choose-collection = Choose a collection
library-move-here = Move
library-copy-here = Copy
library-moved = { $count ->
    [one] Moved 1 item.
   *[other] Moved { $count } items.
}
library-copied = { $count ->
    [one] Copied 1 item.
   *[other] Copied { $count } items.
}
library-deleted = { $count ->
    [one] Deleted 1 item.
   *[other] Deleted { $count } items.
}
library-delete-items = Delete items
library-delete-items-body = { $count ->
    [one] Delete the selected item?
   *[other] Delete { $count } selected items?
} Files nothing else uses are deleted for good.
library-delete-item-body = Delete this item? If nothing else uses its file, the file is deleted for good.
library-delete-project = Delete project
library-delete-project-body = Delete this project with all its collections and items? Everyone it is shared with loses access.
library-project-deleted = Project deleted.
library-delete-collection = Delete collection
library-delete-collection-body = Delete this collection with all its items? Everyone it is shared with loses access.
library-collection-deleted = Collection deleted.
library-share = Share
library-share-project = Share project
library-share-collection = Share collection
library-share-email = Email address
library-share-role = Access
library-share-add = Share
library-shared-with = Shared with
library-shared-nobody = Only you can see this.
library-share-pending = (no account yet)
library-share-remove = Remove
library-share-revoke-label = Stop sharing with { $email }
share-role-viewer = Viewer (can see)
share-role-collaborator = Collaborator (can add and change)
library-item-title = Library item
library-breadcrumb = Where this item is
library-remix = Remix
library-animate = Make a video
library-seed = Seed
library-request-id = Provider request
library-file = Size
library-duration = Length
library-dimensions = Dimensions
library-codec = Codec
library-added-by = Added by
library-open-generation = Open the generation
library-made-from = Made from
library-made-from-this = Made from this
upload-drop-hint = or drop files here
upload-list = Uploads
upload-sending = Uploading… { $percent }%
upload-done = Uploaded
upload-cancelled = Cancelled
upload-failed = Failed
upload-cancel = Cancel
upload-retry = Resume
studio-mode = What to make
studio-mode-video = Video
studio-mode-image = Image
studio-source-image = Source image
studio-no-source = This model starts from words alone.
studio-no-source-image = Use no source image
studio-no-image-models = No image model is available right now. An admin can switch one on under Admin › Models.
studio-image-prompt-placeholder = Describe the picture: a lighthouse on a cliff at dusk, warm light…
studio-generate-image = Generate image
studio-save-to = Save to
studio-save-to-inbox = Inbox
email-share-subject = { $who } shared “{ $name }” with you on Framewright
email-share-body = { $who } shared “{ $name }” with you as { $role }.

    Open your library to see it: { $link }

    If you do not have an account yet, sign in with this email address and it will be there.
error-quota-exceeded = Your storage is full: { $used } of { $quota } used. Delete something to make room.
error-reason-upload-incomplete = not all of it arrived. Resume the upload to send the rest.
error-reason-too-many-pixels = the image has too many pixels (at most 8192 on a side and 40 million in all).
error-reason-not-a-video = the file is not a readable video.
error-reason-not-audio = the file is not readable audio.
error-reason-collection-not-found = choose a collection you can add to.
error-reason-item-not-found = choose an item you can see.
error-reason-share-self = you own this already; share it with someone else.
error-reason-share-role = choose viewer or collaborator.
error-reason-too-many = choose at most 200 at a time.
conflict-upload-closed = this upload was cancelled or refused; upload the file again
conflict-upload-expired = this upload expired; upload the file again
conflict-upload-busy = this upload is being checked already
conflict-upload-completed = this upload has already finished
field-collection_id = the collection
field-parent_item_id = the item to start from
field-item_ids = the selection
field-text = the search
field-start_media_id = the start image
field-end_media_id = the end image
field-prompt = the prompt
field-model_id = the model
field-status = the status

## Providers (Admin › Models) and provider caveats
admin-providers-title = Providers
admin-providers-blurb = Check that each provider answers and accepts this installation's key. The check makes the cheapest signed-in request the provider offers: nothing is generated and nothing is charged.
admin-providers-check = Check connection
provider-check-ok = Connected: the provider accepted the key ({ $millis } ms).
provider-check-missing-key = Not configured: set { $detail } to use this provider.
provider-check-auth = The provider refused the key: { $detail }
provider-check-quota = The key works, but the provider account has no credit left: { $detail }
provider-check-unreachable = The provider could not be reached or is having trouble; try again later: { $detail }
provider-check-refused = The provider refused the check: { $detail }
provider-check-unknown = The provider gave an unexpected answer: { $detail }
model-notice-unverified = Unverified: this model may no longer be offered by its provider. Check it works before switching it on.
job-status-cancelling = Cancelling…
field-provider = the provider
error-reason-page-range = that page is past the end of any list.
error-reason-amount-cap = one change may move at most 1,000,000,000 credits.
error-reason-balance-cap = a balance may hold at most 1,000,000,000 credits.
field-page = the page
field-query = the search
model-notice-offline-sketch = Offline sketch: colours and composition come from your prompt, not its subject.

## Spending cap
spending-cap-title = Daily spending cap
spending-cap-lead = The most credits your account may spend per day (UTC), on generations and chat. Leave it empty for no cap. A refunded generation counts back.
spending-cap-label = Credits per day
spending-cap-none = No cap
spending-cap-left = Spent today: { $spent }. Left today: { $left }.
spending-cap-spent = Spent today: { $spent }.
spending-cap-saved = Spending cap saved.
field-daily_cap = the daily spending cap
error-reason-daily-cap = use a whole number of credits (0 or more), or leave it empty for no cap.

## Admin › Chats
admin-chats-title = Chats
admin-chats-blurb = Read any account's chats, with every branch.
admin-chats-list = All chats
admin-chats-search = Search by email, title or message
admin-chats-none = No chat matches.
admin-chats-open = The open chat
admin-chats-pick = Choose a chat to read it.
admin-chats-owner = { $email } · { $model }
admin-chats-read-only = Read-only. Every message of the tree is listed, each branch under the message it answers; the framed ones are the branch the owner shows.
admin-chats-role-user = Person
admin-chats-role-agent = Agent
admin-chats-shown = shown
admin-chats-status-streaming = being written
admin-chats-status-stopped = stopped
admin-chats-status-failed = failed
