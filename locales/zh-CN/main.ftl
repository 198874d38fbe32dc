## Shell
nav-label = 主导航
nav-menu = 菜单
nav-chat = 对话
nav-storyboard = 故事板
nav-library = 素材库
nav-credits = 积分
nav-profile = 个人资料
nav-admin = 管理
skip-to-content = 跳到正文
footer-tagline = Framewright —— 可自行部署的 AI 创作工作室。
language-label = 语言
theme-system = 主题：跟随系统
theme-light = 主题：浅色
theme-dark = 主题：深色
action-dismiss = 关闭
dialog-close = 关闭
loading = 加载中…
coming-soon-title = 即将推出

## Home
home-title = 首页
home-eyebrow = 图片、短片与影片，一站完成
home-headline = 把一个想法变成图片、短片和一部完整的影片。
home-lead = 与创作助手对话，让它提出并生成图片；用十多个视频模型让图片动起来；再把短片剪成一部影片——全部在你自己的机器上。
home-cta-chat = 开始对话
home-cta-storyboard = 创建故事板
home-idea-heading = 来点灵感
home-idea-next = 换一个
home-idea-1 = 灯塔看守人的猫注视着暴风雨来临，温暖的灯光，35 毫米胶片质感。
home-idea-2 = 黄昏时分，纸船在雨后的上海弄堂里竞速，霓虹倒影闪烁。
home-idea-3 = 小小的宇航员在月球温室里照料植物，柔和的晨光。
home-idea-4 = 一辆老式电车驶过由书本搭成的桥，水彩风格。
home-idea-5 = 一条锦鲤在宁静山村上空的云间游动。
home-idea-6 = 火星上的街边小吃摊，热气升腾，电影感广角镜头。
home-features-label = 你可以做什么
home-feature-chat-title = 创作助手
home-feature-chat-body = 描述你的想法，助手会提出最多八个方案，并同时生成出来。
home-feature-video-title = 十多个视频模型
home-feature-video-body = 用 Seedance、Kling、Veo、Sora、海螺、万相、Runway 或 Grok 让任意图片动起来。
home-feature-storyboard-title = 从故事板到影片
home-feature-storyboard-body = 故事、画面、短片——最后直接在浏览器里合成为一部影片。
home-feature-library-title = 共享素材库
home-feature-library-body = 用项目和合集整理作品，保留每件作品的完整生成信息，并可与协作者或查看者共享。
home-feature-credits-title = 透明的积分
home-feature-credits-body = 每次生成前都会显示价格，生成失败会自动退还积分。
home-feature-selfhost-title = 由你掌控
home-feature-selfhost-body = 一个程序，无需配置：笔记本上用 SQLite 和本地磁盘，规模变大时换成 PostgreSQL 和 S3。

## Pages
not-found-title = 找不到页面
not-found-body = 这个地址没有内容。页面可能已移动，或链接有误。
not-found-home = 返回首页
chat-coming-soon = 创作助手正在建设中。很快你就能在这里对话并获得图片。
storyboard-coming-soon = 故事板正在建设中。很快你就能在这里把故事变成画面、短片和影片。
library-coming-soon = 素材库正在建设中。很快你创作的一切都会保存在这里，并可从这里共享。
admin-title = 管理
admin-refused-title = 仅限管理员
admin-refused-body = 此区域仅供管理员使用。请使用管理员账户登录后继续。
outbox-title = 邮件发件箱
outbox-lead = 由于未配置 SMTP 服务器，本实例会把邮件保存在这里而不是发送出去。
outbox-empty-title = 暂无邮件
outbox-empty-body = 应用发送的邮件（例如登录验证码）会显示在这里。

## Errors
error-invalid = 请检查{ $field }：{ $reason }
error-unauthorized = 请先登录再继续。
error-forbidden = 你无权执行此操作。
error-not-found = 找不到该内容。
error-conflict = 与已有内容冲突（{ $what }）。
error-payload-too-large = 文件太大。上限为 { $limit } 字节。
error-unsupported-media-type = 不支持该文件类型。
error-insufficient-credits = 积分不足：需要 { $needed }，你的余额为 { $balance }。
error-rate-limited = 尝试次数过多。请在 { $seconds } 秒后重试。
error-unavailable = 服务暂时不可用，请稍后再试。
error-internal = 我们这边出了点问题，请重试。
error-network = 无法连接到服务器。请检查网络后重试。
error-reason-required = 此项为必填。
error-reason-too-long = 内容太长。
error-reason-email = 不是有效的邮箱地址。
error-reason-malformed = 无法读取该请求。
field-email = 邮箱地址
field-request = 请求

## Sign-in
action-sign-in = 登录
action-sign-out = 退出登录
sign-in-title = 登录
sign-in-lead = 输入你的邮箱，我们会发送一个六位验证码。第一次使用？同一个验证码会为你创建账户。
field-email-label = 邮箱
field-code-label = 六位验证码
sign-in-send-code = 发送验证码
sign-in-code-sent = 验证码已发送至 { $email }，10 分钟内有效。
sign-in-verify = 登录
sign-in-resend = 重新发送验证码
sign-in-resend-in = { $seconds } 秒后可重新发送
sign-in-outbox-hint = 本实例未配置邮件服务器。
sign-in-outbox-link = 在发件箱中查看验证码
email-code-subject = 你的 Framewright 登录验证码
email-code-body =
    你的 Framewright 登录验证码是 { $code }。

    验证码 { $minutes } 分钟内有效，且只能使用一次。如果这不是你本人的操作，请忽略此邮件。
error-account-disabled = 此账户已被停用。如果你认为这是误操作，请联系管理员。
error-reason-code-format = 验证码应为六位数字。
error-reason-code-rejected = 验证码错误或已过期。请检查后重试，或重新获取。
field-code = 验证码

admin-outbox-blurb = 应用保存而未发送的邮件。

## Passkeys and profile
sign-in-or = 或
sign-in-passkey = 使用通行密钥登录
error-reason-passkey-rejected = 无法验证该通行密钥。请重试，或使用邮箱验证码登录。
error-reason-passkey-expired = 通行密钥请求已过期或已被使用，请重试。
error-reason-passkey-cancelled = 通行密钥窗口在完成前被关闭了。
error-reason-unknown-language = 请选择 English 或中文。
field-passkey = 通行密钥
field-name = 名称
field-display_name = 显示名称
field-locale = 语言
profile-signed-out-title = 你尚未登录
profile-signed-out-body = 登录后即可查看你的个人资料、通行密钥和设备。
profile-account = 账户
profile-display-name = 显示名称
profile-language = 应用和邮件使用的语言
profile-saved = 个人资料已保存。
action-save = 保存
action-cancel = 取消
action-rename = 重命名
action-delete = 删除
action-revoke = 退出登录
passkeys-title = 通行密钥
passkeys-lead = 使用指纹、面容或设备 PIN 登录，无需邮箱验证码。
passkeys-none = 还没有通行密钥。
passkeys-new-name = 新通行密钥的名称
passkeys-add = 添加通行密钥
passkeys-created = 添加于 { $date }
passkeys-last-used = 上次使用 { $date }
passkeys-rename-label = 新名称
sessions-title = 已登录的设备
sessions-lead = 所有登录了你账户的浏览器。如有不认识的设备，请将其退出登录。
sessions-sign-out-everywhere = 在所有设备上退出登录
sessions-unknown-device = 未知设备
sessions-last-used = 最近活动 { $date }
sessions-this-device = 当前设备

## Access
approval-title = 等待审核
approval-body = 你的账户已创建，但需要管理员审核通过后才能开始创作。审核通过后即可使用。
gate-signed-out-title = 请登录后继续
gate-signed-out-body = 此功能需要账户。登录只需一分钟：我们会把验证码发到你的邮箱。

## Admin › Users
admin-users-title = 用户
admin-users-blurb = 审核新账户、修改角色、停用账户。
admin-users-search = 按邮箱或名称搜索
admin-users-none = 没有匹配的账户。
admin-users-created = 注册于 { $date }
admin-users-last-sign-in = 最近登录 { $date }
admin-users-disabled = 已停用
admin-users-approve = 通过审核
admin-users-make-admin = 设为管理员
admin-users-make-user = 设为普通用户
admin-users-disable = 停用
admin-users-enable = 启用
role-new-user = 等待审核
role-user = 普通用户
role-admin = 管理员
error-reason-not-yourself = 不能在这里修改你自己的账户。
error-reason-unknown-role = 请选择 new_user、user 或 admin。
field-user = 账户
field-role = 角色

error-reason-positive-amount = 必须是正整数。
field-amount = 数量

## Credits
credits-balance = 你的余额
credits-history = 记录
credits-filter = 显示
credits-kind-all = 全部
credits-kind-grant = 发放
credits-kind-deduct = 扣除
credits-kind-charge = 消费
credits-kind-refund = 退款
credits-kind-purchase = 购买
credits-kind-subscription = 订阅
credits-kind-adjustment = 调整
credits-empty-title = 暂无记录
credits-empty-body = 你获得和使用的积分都会列在这里。
credits-balance-after = 余额 { $balance }
credits-page = 第 { $page } 页，共 { $pages } 页
action-previous = 上一页
action-next = 下一页
error-reason-unknown-kind = 请选择列出的类型之一。
error-reason-nonzero-amount = 不能为零。
field-kind = 类型
field-reason = 原因

admin-users-credits = { $credits } 积分
admin-credits-amount = 积分（+ 发放，− 扣除）
admin-credits-reason = 原因
admin-credits-apply = 执行
error-reason-whole-number = 请输入整数，例如 500 或 -50。
