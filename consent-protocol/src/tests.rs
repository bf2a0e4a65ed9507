use super::*;
use mam_lib::mam::SideKey;
use mam_lib::seed::Seed;
use mam_lib::ternary::{Hash81, Trytes};
use mam_lib::time::UnixMillis;
use seal::{seal, ProviderKeyPair, SealedBox};

fn hash(c: char) -> Hash81 {
    c.to_string().repeat(81).parse().expect("81 trytes")
}

fn provider_keys(c: char) -> ProviderKeyPair {
    let seed: Seed = c.to_string().repeat(81).parse().expect("seed");
    ProviderKeyPair::from_seed(&seed)
}

fn sealed(c: char) -> SealedBox {
    seal(provider_keys(c).public_key(), b"{}").expect("seal")
}

#[test]
fn a_claim_travels_as_ascii_json_trytes() {
    let message = TransferMessage::ClaimDevice {
        sender: hash('A'),
        nonce: hash('N'),
        proof: hash('P'),
    };
    let trytes = encode(&message);
    let json = String::from_utf8(trytes.to_bytes().expect("bytes")).expect("utf8");
    assert_eq!(
        json,
        format!(
            r#"{{"type":"CLAIM_DEVICE","sender":"{}","nonce":"{}","proof":"{}"}}"#,
            "A".repeat(81),
            "N".repeat(81),
            "P".repeat(81)
        )
    );
    assert_eq!(
        decode::<TransferMessage>(&trytes).expect("decodes"),
        message
    );
}

#[test]
fn answer_and_mam_data_use_camel_case_fields() {
    let answer = TransferMessage::AnswerChallenge {
        sender: hash('A'),
        signed_challenge: hash('C'),
        sealed_root: hash('B'),
    };
    let json = encoding::to_ascii_json(&answer);
    assert!(json.contains(r#""type":"ANSWER_CHALLENGE""#), "{json}");
    assert!(json.contains(r#""signedChallenge""#), "{json}");
    assert!(json.contains(r#""sealedRoot""#), "{json}");
    assert!(!json.contains(r#""root""#), "{json}");
    let mam_data = sealed('A');
    let data = TransferMessage::MamData {
        policy_id: "p1".parse().expect("policy id"),
        mam_data: mam_data.clone(),
    };
    let json = encoding::to_ascii_json(&data);
    assert!(
        json.contains(r#""policyId":"p1""#)
            && json.contains(&format!(r#""mamData":"{}""#, mam_data.to_trytes())),
        "{json}"
    );
    assert_eq!(
        decode::<TransferMessage>(&encode(&data)).expect("decodes"),
        data
    );
}

#[test]
fn padding_and_trailing_garbage_after_the_json_are_ignored() {
    let message = TransferMessage::ClaimResult {
        status: ClaimStatus::Nok,
        reason: "wrong answer".into(),
        sender: None,
        proof: hash('P'),
    };
    let mut trytes = encode(&message).padded(2187);
    assert_eq!(decode::<TransferMessage>(&trytes).expect("padded"), message);
    trytes = format!("{}ZZZZABCD", encode(&message))
        .parse()
        .expect("trytes");
    assert_eq!(
        decode::<TransferMessage>(&trytes).expect("garbage after"),
        message
    );
}

#[test]
fn garbage_is_an_error_not_a_panic() {
    for text in ["", "999999", "ZZZZZZZZ", "ABCDEFGHIJKLMNOPQRSTUVWXYZ9"] {
        let trytes: Trytes = text.parse().expect("trytes");
        assert!(decode::<TransferMessage>(&trytes).is_err(), "{text}");
    }
    let wrong_type = encode(&serde_json::json!({"type": "SELF_DESTRUCT"}));
    assert!(matches!(
        decode::<TransferMessage>(&wrong_type),
        Err(ProtocolError::Shape(_))
    ));
    let bad_address = encode(&serde_json::json!({"type": "CLAIM_DEVICE", "sender": "abc"}));
    assert!(decode::<TransferMessage>(&bad_address).is_err());
}

#[test]
fn non_ascii_text_is_escaped_and_comes_back() {
    let record = TelegramRecord {
        raw: "/Kfm5 ünïcode 😀".into(),
        timestamp: UnixMillis::from_millis(1),
    };
    let message = DeviceMessage::Data {
        telegrams: vec![record],
    };
    let json = encoding::to_ascii_json(&message);
    assert!(json.is_ascii());
    assert!(
        json.contains(r"\u00fc") && json.contains(r"\ud83d\ude00"),
        "{json}"
    );
    assert_eq!(
        decode::<DeviceMessage>(&encode(&message)).expect("decodes"),
        message
    );
}

#[test]
fn events_name_their_device_and_keep_unknown_fields_harmless() {
    let public_key = provider_keys('P').public_key().to_trytes();
    let json = serde_json::json!({
        "type": "AUTHORIZED",
        "policy": {
            "id": "policy-1",
            "device": {"address": "D".repeat(81), "name": "meter cupboard"},
            "serviceProvider": {
                "iotaAddress": "P".repeat(81),
                "publicKeyTrytes": public_key.as_str(),
                "url": "http://localhost/wattt"
            },
            "goal": "insights",
            "expiresAt": 1_800_000_000_000_i64,
            "extra": true
        }
    });
    let event: ConsentEvent = decode(&encode(&json)).expect("decodes");
    assert_eq!(event.device_address(), &hash('D'));
    let ConsentEvent::Authorized { policy } = &event else {
        panic!("not AUTHORIZED: {event:?}");
    };
    assert_eq!(
        policy.expires_at,
        Some(UnixMillis::from_millis(1_800_000_000_000))
    );
    assert_eq!(policy.id.as_str(), "policy-1");
    let round_trip: ConsentEvent = decode(&encode(&event)).expect("round trip");
    assert_eq!(round_trip, event);
}

#[test]
fn device_messages_round_trip() {
    let mut keys = std::collections::BTreeMap::new();
    keys.insert(hash('P'), sealed('P'));
    keys.insert(hash('A'), sealed('A'));
    for message in [
        DeviceMessage::KeyRotation { keys },
        DeviceMessage::KeyRotation {
            keys: Default::default(),
        },
        DeviceMessage::Data {
            telegrams: vec![TelegramRecord {
                raw: "/ISK5\r\n\r\n1-0:1.8.1(000001.000*kWh)\r\n!ABCD".into(),
                timestamp: UnixMillis::from_millis(1_700_000_000_000),
            }],
        },
    ] {
        assert_eq!(
            decode::<DeviceMessage>(&encode(&message)).expect("decodes"),
            message
        );
    }
}

#[test]
fn the_signed_challenge_binds_challenge_root_and_secret() {
    let secret: PairingSecret = "SECRETSECRETSECRETSECRET999".parse().expect("secret");
    let other_secret: PairingSecret = "SECRETSECRETSECRETSECRET99A".parse().expect("secret");
    let signed = signed_challenge(&hash('C'), &hash('R'), &secret);
    assert_eq!(signed, signed_challenge(&hash('C'), &hash('R'), &secret));
    assert_ne!(signed, signed_challenge(&hash('D'), &hash('R'), &secret));
    assert_ne!(signed, signed_challenge(&hash('C'), &hash('S'), &secret));
    assert_ne!(
        signed,
        signed_challenge(&hash('C'), &hash('R'), &other_secret)
    );
}

#[test]
fn pairing_secrets_are_random_27_trytes_and_never_printed() {
    let a = PairingSecret::random().expect("the test machine has a CSPRNG");
    let b = PairingSecret::random().expect("the test machine has a CSPRNG");
    assert_eq!(a.as_str().len(), PAIRING_SECRET_TRYTES);
    assert_ne!(a, b);
    assert!(!format!("{a:?}").contains(a.as_str()));
    assert!("TOOSHORT".parse::<PairingSecret>().is_err());
}

#[test]
fn the_status_in_a_result_proof_is_its_word_as_trytes_padded_with_nines() {
    // `O` = 79 = 25 + 2·27 -> `YB`, `K` = 75 -> `UB`, `N` = 78 -> `XB`.
    let ok = format!("YBUB{}", "9".repeat(77));
    let nok = format!("XBYBUB{}", "9".repeat(75));
    assert_eq!(status_trytes(ClaimStatus::Ok).as_str(), ok);
    assert_eq!(status_trytes(ClaimStatus::Nok).as_str(), nok);
    assert_eq!(
        Trytes::from_ascii(ClaimStatus::Nok.as_str())
            .expect("ascii")
            .as_str(),
        &nok[..6]
    );
}

#[test]
fn a_result_proof_binds_its_reference_its_status_and_the_secret() {
    let secret: PairingSecret = "SECRETSECRETSECRETSECRET999".parse().expect("secret");
    let other: PairingSecret = "OTHERSECRETOTHERSECRET99999".parse().expect("secret");
    let proof = claim_result_proof(&hash('C'), ClaimStatus::Ok, &secret);
    assert_ne!(
        proof,
        claim_result_proof(&hash('C'), ClaimStatus::Nok, &secret)
    );
    assert_ne!(
        proof,
        claim_result_proof(&hash('E'), ClaimStatus::Ok, &secret)
    );
    assert_ne!(
        proof,
        claim_result_proof(&hash('C'), ClaimStatus::Ok, &other)
    );
    let challenge = challenge_proof(&hash('N'), &hash('C'), &secret);
    assert_ne!(challenge, challenge_proof(&hash('M'), &hash('C'), &secret));
    assert_ne!(challenge, challenge_proof(&hash('N'), &hash('C'), &other));
}

#[test]
fn a_v1_challenge_or_result_without_a_proof_does_not_decode() {
    let challenge = format!(
        r#"{{"type":"CHALLENGE","sender":"{}","challenge":"{}"}}"#,
        hash('D'),
        hash('C')
    );
    let result = r#"{"type":"CLAIM_RESULT","status":"OK","reason":"paired"}"#;
    for json in [challenge.as_str(), result] {
        let trytes = Trytes::from_ascii(json).expect("ascii");
        assert!(decode::<TransferMessage>(&trytes).is_err(), "{json}");
    }
}

#[test]
fn a_transfer_one_tryte_short_of_a_fragment_gets_an_end_mark() {
    // 1093 ASCII characters are 2186 trytes: one short of a fragment.
    let filler =
        1093 - r#"{"type":"CLAIM_RESULT","status":"OK","reason":"","proof":""}"#.len() - 81;
    let message = TransferMessage::ClaimResult {
        status: ClaimStatus::Ok,
        reason: "x".repeat(filler),
        sender: None,
        proof: hash('P'),
    };
    assert_eq!(encode(&message).len(), 2186);
    let trytes = encode_transfer(&message);
    assert_eq!(trytes.len(), 2188);
    assert!(trytes.as_str().ends_with("99"));
    assert_eq!(
        decode::<TransferMessage>(&trytes).expect("decodes"),
        message
    );
    let short = TransferMessage::Challenge {
        sender: hash('A'),
        challenge: hash('C'),
        proof: hash('P'),
    };
    assert_eq!(encode_transfer(&short), encode(&short));
}

#[test]
fn a_policy_with_a_key_that_is_not_an_ntru_key_does_not_decode() {
    let json = serde_json::json!({
        "type": "AUTHORIZED",
        "policy": {
            "id": "policy-1",
            "device": {"address": "D".repeat(81)},
            "serviceProvider": {
                "iotaAddress": "P".repeat(81),
                "publicKeyTrytes": "AB",
                "url": "http://localhost/wattt"
            },
            "goal": "insights"
        }
    });
    assert!(matches!(
        decode::<ConsentEvent>(&encode(&json)),
        Err(ProtocolError::Shape(_))
    ));
}

#[test]
fn an_event_with_an_invalid_policy_id_or_a_negative_time_does_not_decode() {
    let public_key = provider_keys('P').public_key().to_trytes();
    for (id, expires_at) in [
        (serde_json::json!(""), serde_json::json!(1)),
        (serde_json::json!("tab\there"), serde_json::json!(1)),
        (serde_json::json!("policy-1"), serde_json::json!(-1)),
    ] {
        let json = serde_json::json!({
            "type": "AUTHORIZATION_REVOKED",
            "policy": {
                "id": id,
                "device": {"address": "D".repeat(81)},
                "serviceProvider": {
                    "iotaAddress": "P".repeat(81),
                    "publicKeyTrytes": public_key.as_str(),
                    "url": "http://localhost/wattt"
                },
                "goal": "insights",
                "expiresAt": expires_at
            }
        });
        assert!(decode::<ConsentEvent>(&encode(&json)).is_err(), "{json}");
    }
}

#[test]
fn sealed_key_plaintexts_never_print_their_side_key() {
    let side_key = SideKey::random();
    let bundle = KeyBundle {
        root: hash('R'),
        side_key: side_key.clone(),
        policy_id: "p1".parse().expect("policy id"),
        request_nonce: Some(hash('Q')),
    };
    let rotated = RotatedKey {
        side_key: side_key.clone(),
    };
    let secret = side_key.as_trytes().as_str();
    assert!(!format!("{bundle:?}").contains(secret));
    assert!(!format!("{rotated:?}").contains(secret));
    // ...but travel as their 81 trytes.
    assert!(to_ascii_json(&bundle).contains(&format!(r#""sideKey":"{secret}""#)));
    assert_eq!(
        to_ascii_json(&rotated),
        format!(r#"{{"sideKey":"{secret}"}}"#)
    );
}

#[test]
fn a_claim_proof_binds_sender_nonce_and_secret() {
    let secret: PairingSecret = "SECRETSECRETSECRETSECRET999".parse().expect("secret");
    let other: PairingSecret = "OTHERSECRETOTHERSECRET99999".parse().expect("secret");
    let proof = crate::claim_proof(&hash('H'), &hash('N'), &secret);
    assert_ne!(proof, crate::claim_proof(&hash('E'), &hash('N'), &secret));
    assert_ne!(proof, crate::claim_proof(&hash('H'), &hash('M'), &secret));
    assert_ne!(proof, crate::claim_proof(&hash('H'), &hash('N'), &other));
}

#[test]
fn a_sealed_root_opens_only_under_its_challenge_secret_and_sender() {
    let secret: PairingSecret = "SECRETSECRETSECRETSECRET999".parse().expect("secret");
    let other: PairingSecret = "OTHERSECRETOTHERSECRET99999".parse().expect("secret");
    let root = Hash81::random();
    let sealed = crate::seal_root(&root, &hash('C'), &secret, &hash('H'));
    assert_ne!(sealed, root);
    assert_eq!(
        crate::open_root(&sealed, &hash('C'), &secret, &hash('H')),
        root
    );
    assert_ne!(
        crate::open_root(&sealed, &hash('C'), &other, &hash('H')),
        root
    );
    assert_ne!(
        crate::open_root(&sealed, &hash('D'), &secret, &hash('H')),
        root
    );
    assert_ne!(
        crate::open_root(&sealed, &hash('C'), &secret, &hash('E')),
        root
    );
}

#[test]
fn tryte_addition_wraps_mod_27() {
    // 9 = 0 is the identity; Z + A = 26 + 1 wraps to 9.
    let secret: PairingSecret = "SECRETSECRETSECRETSECRET999".parse().expect("secret");
    let mask = crate::root_mask(&hash('C'), &secret, &hash('H'));
    assert_eq!(
        crate::seal_root(&hash('9'), &hash('C'), &secret, &hash('H')),
        mask
    );
}
