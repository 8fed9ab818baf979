// Written by `cargo xtask bench`: ten calls through okta-generated. Also compiled and run by
// okta-generated/tests/bench_caller.rs, so that the bench's caller keeps up with the client.
use okta_generated::{models, Client, Error};

pub async fn calls(
    client: &Client,
    new_user: models::CreateUserRequest,
    user: models::UpdateUserRequest,
) -> Result<usize, Error> {
    let mut n = 0;
    n += client.user().get_user("00u1").send().await?.additional_properties.len();
    n += client.user().list_users().limit(200).send().await?.items().len();
    n += client.user().create_user(new_user).activate(false).send().await?.additional_properties.len();
    n += client.user().replace_user("00u1", user).send().await?.additional_properties.len();
    client.user().deactivate_user("00u1").send().await?;
    n += client.group().list_groups().send().await?.items().len();
    client.group().assign_user_to_group("00g1", "00u1").send().await?;
    n += client.group().list_group_users("00g1").send().await?.items().len();
    n += client.application().list_applications().send().await?.items().len();
    client.application().get_application("0oa1").send().await?;
    Ok(n)
}
