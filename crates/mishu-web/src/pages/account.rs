//! The signed-in person's own page: password change (forced when it has aged), and for
//! business users, acting for someone who delegated to them.

use crate::AppState;
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::pages::render;
use crate::security::{AccountSecurity, account_section};
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{Redirect, Response};
use mishu_domain::PersonId;
use mishu_service::tasks::{self, DelegationView};
use mishu_service::{auth, org, settings};
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct AccountQuery {
    must_change: Option<String>,
    changed: Option<String>,
}

#[derive(Template)]
#[template(path = "pages/account.html")]
struct AccountPage<'a> {
    ctx: &'a Ctx,
    login: String,
    department: String,
    position: String,
    must_change: bool,
    changed: bool,
    /// Delegations to me that are live now: I may act for these people.
    acting_options: Vec<DelegationView>,
    /// The password rule in force, in words.
    policy_hint: String,
    security: AccountSecurity,
}

pub async fn page(State(st): State<AppState>, user: User, Query(q): Query<AccountQuery>) -> AppResult<Response> {
    let s = &st.services;
    let me = org::person(s, user.actor.person_id).await?;
    let now = s.clock.now().0;
    let acting_options = if user.actor.is_business_user() {
        tasks::delegations_for(s, user.actor.person_id)
            .await?
            .into_iter()
            .filter(|d| {
                d.delegate_id == user.actor.person_id.0
                    && d.revoked_at.is_none()
                    && d.starts_at <= now
                    && d.ends_at > now
            })
            .collect()
    } else {
        Vec::new()
    };
    let policy = settings::password_policy(&s.db).await.map_err(mishu_service::ServiceError::from)?;
    let policy_hint = user.ctx.tf(
        "account.policy_hint",
        &[("length", &policy.min_length.to_string()), ("classes", &policy.min_classes.to_string())],
    );
    let security = account_section(s, &user).await?;
    Ok(render(&AccountPage {
        ctx: &user.ctx,
        login: me.login,
        department: me.department_name.unwrap_or_default(),
        position: me.position.unwrap_or_default(),
        must_change: q.must_change.is_some() || user.session.as_ref().is_some_and(|s| s.must_change_password),
        changed: q.changed.is_some(),
        acting_options,
        policy_hint,
        security,
    }))
}

#[derive(Deserialize)]
pub struct PasswordForm {
    current: String,
    new: String,
    confirm: String,
}

pub async fn change_password(
    State(st): State<AppState>,
    user: User,
    Form(f): Form<PasswordForm>,
) -> AppResult<Redirect> {
    if f.new != f.confirm {
        return Err(AppError::BadRequest { field: "confirm", message: "does not match the new password".into() });
    }
    let session = user.session.as_ref().ok_or(AppError::Unauthenticated)?;
    auth::change_password(&st.services, session, &f.current, &f.new, &user.ctx.source_ip).await?;
    Ok(Redirect::to("/account?changed=1"))
}

#[derive(Deserialize)]
pub struct ActingForm {
    /// Empty: act as myself again.
    principal: String,
}

pub async fn acting_for(State(st): State<AppState>, user: User, Form(f): Form<ActingForm>) -> AppResult<Redirect> {
    let session = user.session.as_ref().ok_or(AppError::Unauthenticated)?;
    let principal = match f.principal.trim() {
        "" => None,
        p => Some(
            p.parse::<PersonId>()
                .map_err(|_| AppError::BadRequest { field: "principal", message: "not a person id".into() })?,
        ),
    };
    auth::act_for(&st.services, session, principal, &user.ctx.source_ip).await?;
    Ok(Redirect::to("/inbox"))
}
