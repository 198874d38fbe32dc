//! Media stored before the library existed (uploads and generation results)
//! becomes items in each owner's inbox, so nothing made earlier disappears
//! from view, and nothing is deleted as "unreferenced" later. A generation's
//! result keeps its prompt, model, settings and cost.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::prelude::{DateTimeUtc, Uuid};
use sea_orm_migration::sea_orm::{ConnectionTrait, QueryResult};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The inbox's names in the owner's language (as the app names a new inbox).
fn names(locale: Option<&str>) -> (&'static str, &'static str) {
    match locale {
        Some("zh-CN") => ("我的作品", "收件箱"),
        _ => ("My work", "Inbox"),
    }
}

fn kind(content_type: &str) -> &'static str {
    match content_type.split('/').next() {
        Some("video") => "video",
        Some("audio") => "audio",
        _ => "image",
    }
}

/// A name from a prompt: its first line, at most 60 characters.
fn name_from(prompt: &str) -> Option<String> {
    let line = prompt.lines().map(str::trim).find(|l| !l.is_empty())?;
    Some(line.chars().take(60).collect())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let orphans = Query::select()
            .expr_as(Expr::col((Media::Table, Media::Id)), Alias::new("id"))
            .expr_as(
                Expr::col((Media::Table, Media::OwnerId)),
                Alias::new("owner_id"),
            )
            .expr_as(
                Expr::col((Media::Table, Media::ContentType)),
                Alias::new("content_type"),
            )
            .expr_as(
                Expr::col((Media::Table, Media::CreatedAt)),
                Alias::new("created_at"),
            )
            .expr_as(
                Expr::col((Users::Table, Users::Locale)),
                Alias::new("locale"),
            )
            .from(Media::Table)
            .inner_join(
                Users::Table,
                Expr::col((Users::Table, Users::Id)).equals((Media::Table, Media::OwnerId)),
            )
            .and_where(
                Expr::col((Media::Table, Media::Id)).not_in_subquery(
                    Query::select()
                        .column(Items::MediaId)
                        .from(Items::Table)
                        .to_owned(),
                ),
            )
            .order_by((Media::Table, Media::CreatedAt), Order::Asc)
            .to_owned();
        let rows: Vec<QueryResult> = db.query_all(&orphans).await?;
        let mut inboxes: std::collections::HashMap<Uuid, Uuid> = Default::default();
        for row in rows {
            let media: Uuid = row.try_get("", "id")?;
            let owner: Uuid = row.try_get("", "owner_id")?;
            let content_type: String = row.try_get("", "content_type")?;
            let created: DateTimeUtc = row.try_get("", "created_at")?;
            let locale: Option<String> = row.try_get("", "locale")?;
            let inbox = match inboxes.get(&owner) {
                Some(inbox) => *inbox,
                None => {
                    let inbox = inbox_of(db, owner, locale.as_deref(), created).await?;
                    inboxes.insert(owner, inbox);
                    inbox
                }
            };
            let job = Query::select()
                .columns([
                    GenerationJobs::Id,
                    GenerationJobs::ModelId,
                    GenerationJobs::Prompt,
                    GenerationJobs::Params,
                    GenerationJobs::Price,
                    GenerationJobs::ProviderRequestId,
                ])
                .from(GenerationJobs::Table)
                .and_where(Expr::col(GenerationJobs::ResultMediaId).eq(media))
                .to_owned();
            let job = db.query_one(&job).await?;
            let mut values: Vec<(Items, SimpleExpr)> = vec![
                (Items::Id, Uuid::new_v4().into()),
                (Items::CollectionId, inbox.into()),
                (Items::MediaId, media.into()),
                (Items::Kind, kind(&content_type).into()),
                (Items::CreatedBy, owner.into()),
                (Items::CreatedAt, created.into()),
                (Items::UpdatedAt, created.into()),
            ];
            let mut name = format!("Upload {}", created.format("%Y-%m-%d %H:%M"));
            if let Some(job) = job {
                let prompt: String = job.try_get("", "prompt")?;
                let model: String = job.try_get("", "model_id")?;
                name = name_from(&prompt).unwrap_or_else(|| model.clone());
                values.extend([
                    (Items::JobId, job.try_get::<Uuid>("", "id")?.into()),
                    (Items::Prompt, prompt.into()),
                    (Items::ModelId, model.into()),
                    (Items::Params, job.try_get::<String>("", "params")?.into()),
                    (Items::Cost, job.try_get::<i64>("", "price")?.into()),
                    (
                        Items::ProviderRequestId,
                        job.try_get::<Option<String>>("", "provider_request_id")?
                            .into(),
                    ),
                ]);
            }
            values.push((Items::Name, name.into()));
            let (columns, exprs): (Vec<Items>, Vec<SimpleExpr>) = values.into_iter().unzip();
            let insert = Query::insert()
                .into_table(Items::Table)
                .columns(columns)
                .values_panic(exprs)
                .to_owned();
            db.execute(&insert).await?;
        }
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        // The items stay: they are the library's now.
        Ok(())
    }
}

/// Makes an owner's inbox (a project with one collection marked as it).
async fn inbox_of(
    db: &SchemaManagerConnection<'_>,
    owner: Uuid,
    locale: Option<&str>,
    at: DateTimeUtc,
) -> Result<Uuid, DbErr> {
    let (project_name, inbox_name) = names(locale);
    let (project, inbox) = (Uuid::new_v4(), Uuid::new_v4());
    let insert_project = Query::insert()
        .into_table(Projects::Table)
        .columns([
            Projects::Id,
            Projects::OwnerId,
            Projects::Name,
            Projects::CreatedAt,
            Projects::UpdatedAt,
        ])
        .values_panic([
            project.into(),
            owner.into(),
            project_name.into(),
            at.into(),
            at.into(),
        ])
        .to_owned();
    db.execute(&insert_project).await?;
    let insert_inbox = Query::insert()
        .into_table(Collections::Table)
        .columns([
            Collections::Id,
            Collections::ProjectId,
            Collections::Name,
            Collections::InboxOf,
            Collections::CreatedAt,
            Collections::UpdatedAt,
        ])
        .values_panic([
            inbox.into(),
            project.into(),
            inbox_name.into(),
            owner.into(),
            at.into(),
            at.into(),
        ])
        .to_owned();
    db.execute(&insert_inbox).await?;
    Ok(inbox)
}

#[derive(DeriveIden)]
enum Media {
    Table,
    Id,
    OwnerId,
    ContentType,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Locale,
}

#[derive(DeriveIden)]
enum GenerationJobs {
    Table,
    Id,
    ModelId,
    Prompt,
    Params,
    Price,
    ProviderRequestId,
    ResultMediaId,
}

#[derive(DeriveIden)]
enum Projects {
    Table,
    Id,
    OwnerId,
    Name,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Collections {
    Table,
    Id,
    ProjectId,
    Name,
    InboxOf,
    CreatedAt,
    UpdatedAt,
}

#[derive(Clone, Copy, DeriveIden)]
enum Items {
    Table,
    Id,
    CollectionId,
    MediaId,
    Name,
    Kind,
    Prompt,
    ModelId,
    Params,
    Cost,
    ProviderRequestId,
    JobId,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}
