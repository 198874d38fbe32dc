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
chat-coming-soon = The creative agent is being built. Soon you will chat here and get images back.
storyboard-coming-soon = Storyboards are being built. Soon you will turn a story into frames, clips and a film here.
library-coming-soon = The library is being built. Soon everything you make will be kept and shared from here.
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
error-payload-too-large = That file is too large. The limit is { $limit } bytes.
error-unsupported-media-type = That type of file is not supported.
error-insufficient-credits = Not enough credits: this needs { $needed } and your balance is { $balance }.
error-rate-limited = Too many attempts. Please try again in { $seconds } seconds.
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
error-reason-unknown-language = choose English or 中文.
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
action-cancel = Cancel
action-rename = Rename
action-delete = Delete
action-revoke = Sign out
passkeys-title = Passkeys
passkeys-lead = Sign in with your fingerprint, face or device PIN instead of an emailed code.
passkeys-none = No passkeys yet.
passkeys-new-name = Name for a new passkey
passkeys-add = Add a passkey
passkeys-created = Added { $date }
passkeys-last-used = last used { $date }
passkeys-rename-label = New name
sessions-title = Signed-in devices
sessions-lead = Every browser where your account is signed in. Sign out the ones you do not recognise.
sessions-sign-out-everywhere = Sign out everywhere
sessions-unknown-device = Unknown device
sessions-last-used = Last active { $date }
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
admin-users-created = joined { $date }
admin-users-last-sign-in = last sign-in { $date }
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

admin-users-credits = { $credits } credits
admin-credits-amount = Credits (+ grant, − deduct)
admin-credits-reason = Reason
admin-credits-apply = Apply
error-reason-whole-number = enter a whole number such as 500 or -50.
