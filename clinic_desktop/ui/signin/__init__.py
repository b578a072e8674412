"""Getting a person in front of the clinic data: the sign-in dialog, the recovery-key unlock
dialog shown when the keychain cannot open the database, the password change (forced after a
temporary password) and the idle lock screen with its "switch user" action."""
