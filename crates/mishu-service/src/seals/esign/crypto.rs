//! SM2 key pairs of electronic seals and what is done with them: generation, SM2-with-SM3
//! signatures (distinguishing id "1234567812345678", GB/T 35276 DER values), and keeping the
//! private key wrapped with SM4-CBC under the seal master key, which is never in the database.

use super::EsignError;
use cbc::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit, block_padding::Pkcs7};
use sm2::dsa::signature::{Signer, Verifier};
use sm2::dsa::{Signature, SigningKey, VerifyingKey};
use sm3::{Digest, Sm3};

/// The default user id of GB/T 35276 (and OpenSSL's SM2), used for every signature here.
pub const DIST_ID: &str = "1234567812345678";

/// A fresh SM2 signing key from the operating system's random source.
pub fn generate() -> SigningKey {
    loop {
        let bytes: [u8; 32] = rand::random();
        // Fails only for zero or a value ≥ n (probability ≈ 2⁻³²); draw again.
        if let Ok(k) = SigningKey::from_slice(DIST_ID, &bytes) {
            return k;
        }
    }
}

/// The public key as SEC1 uncompressed bytes (04 ‖ x ‖ y).
pub fn public_bytes(key: &SigningKey) -> Vec<u8> {
    key.verifying_key().to_sec1_bytes().to_vec()
}

pub fn verifying_key(sec1: &[u8]) -> Result<VerifyingKey, EsignError> {
    VerifyingKey::from_sec1_bytes(DIST_ID, sec1).map_err(|_| EsignError::Malformed("public key"))
}

/// SM2-with-SM3 over `message`; the value is DER `SEQUENCE { r, s }` (GB/T 35276).
pub fn sign(key: &SigningKey, message: &[u8]) -> Vec<u8> {
    let sig: Signature = key.sign(message);
    sig.to_der().as_bytes().to_vec()
}

pub fn verify(public: &VerifyingKey, message: &[u8], der_sig: &[u8]) -> bool {
    match Signature::from_der(der_sig) {
        Ok(sig) => public.verify(message, &sig).is_ok(),
        Err(_) => false,
    }
}

pub fn sm3(data: &[u8]) -> [u8; 32] {
    Sm3::digest(data).into()
}

/// The SM3 fingerprint that names a public key (hex).
pub fn fingerprint(public_sec1: &[u8]) -> String {
    hex::encode(sm3(public_sec1))
}

/// A short value that tells whether a master key is the one a seal was wrapped with, without
/// revealing it: a node started with another key gets a clear message, not a bad signature.
pub fn master_check(master: &[u8; 16]) -> String {
    let mut h = Sm3::new();
    h.update(b"mishu seal master key check");
    h.update(master);
    hex::encode(&h.finalize()[..8])
}

/// The private key wrapped: IV ‖ SM4-CBC(PKCS#7) ciphertext.
pub fn wrap(master: &[u8; 16], key: &SigningKey) -> Vec<u8> {
    let iv: [u8; 16] = rand::random();
    let plain = key.to_bytes();
    let enc = cbc::Encryptor::<sm4::Sm4>::new_from_slices(master, &iv).expect("16-byte key and iv");
    let mut out = iv.to_vec();
    out.extend(enc.encrypt_padded_vec::<Pkcs7>(&plain));
    out
}

/// Unwraps a private key and proves it is the seal's own by comparing its public half with
/// the registered one, so a damaged or substituted wrapping can never sign.
pub fn unwrap(master: &[u8; 16], wrapped: &[u8], expected_public: &[u8]) -> Result<SigningKey, EsignError> {
    if wrapped.len() < 32 || !wrapped.len().is_multiple_of(16) {
        return Err(EsignError::KeyDamaged);
    }
    let (iv, ct) = wrapped.split_at(16);
    let dec = cbc::Decryptor::<sm4::Sm4>::new_from_slices(master, iv).expect("16-byte key and iv");
    let plain = dec.decrypt_padded_vec::<Pkcs7>(ct).map_err(|_| EsignError::KeyDamaged)?;
    let key = SigningKey::from_slice(DIST_ID, &plain).map_err(|_| EsignError::KeyDamaged)?;
    if public_bytes(&key) != expected_public {
        return Err(EsignError::KeyDamaged);
    }
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    // GB/T 32918.5-2017 (GM/T 0003.5) Annex A: the signature example on the recommended curve.
    const D: &str = "3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8";
    const PX: &str = "09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020";
    const PY: &str = "CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13";
    const R: &str = "F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3";
    const S: &str = "B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA";

    fn standard_public() -> Vec<u8> {
        hex::decode(format!("04{PX}{PY}")).unwrap()
    }

    #[test]
    fn sm2_standard_key_pair_and_signature_verify() {
        let key = SigningKey::from_slice(DIST_ID, &hex::decode(D).unwrap()).unwrap();
        assert_eq!(public_bytes(&key), standard_public());
        let vk = verifying_key(&standard_public()).unwrap();
        let r: [u8; 32] = hex::decode(R).unwrap().try_into().unwrap();
        let s: [u8; 32] = hex::decode(S).unwrap().try_into().unwrap();
        let sig = Signature::from_scalars(r, s).unwrap();
        assert!(verify(&vk, b"message digest", sig.to_der().as_bytes()));
        assert!(!verify(&vk, b"message digesT", sig.to_der().as_bytes()));
    }

    #[test]
    fn sm3_standard_vectors() {
        // GB/T 32905-2016 Annex A.1 and A.2.
        assert_eq!(hex::encode(sm3(b"abc")), "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
        assert_eq!(
            hex::encode(sm3(&b"abcd".repeat(16))),
            "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"
        );
    }

    #[test]
    fn sm4_standard_vector() {
        // GB/T 32907-2016 Annex A.1: one block, key = plaintext.
        use sm4::cipher::{BlockCipherEncrypt, KeyInit};
        let k = hex::decode("0123456789abcdeffedcba9876543210").unwrap();
        let cipher = sm4::Sm4::new_from_slice(&k).unwrap();
        let mut block = sm4::cipher::Array::try_from(k.as_slice()).unwrap();
        cipher.encrypt_block(&mut block);
        assert_eq!(hex::encode(block), "681edf34d206965e86b3e94f536e4246");
        // Annex A.2: the same key, the block encrypted 1,000,000 times over.
        for _ in 1..1_000_000 {
            cipher.encrypt_block(&mut block);
        }
        assert_eq!(hex::encode(block), "595298c7c6fd271f0402f804c33d3f66");
    }

    #[test]
    fn a_fresh_key_signs_and_a_changed_message_fails() {
        let key = generate();
        let vk = verifying_key(&public_bytes(&key)).unwrap();
        let sig = sign(&key, "江北职业技术学院".as_bytes());
        assert!(verify(&vk, "江北职业技术学院".as_bytes(), &sig));
        assert!(!verify(&vk, "江北职业技术学校".as_bytes(), &sig));
        let mut bad = sig.clone();
        let last = bad.len() - 1;
        bad[last] ^= 1;
        assert!(!verify(&vk, "江北职业技术学院".as_bytes(), &bad));
    }

    #[test]
    fn wrapping_round_trips_and_a_wrong_master_key_or_damage_is_refused() {
        let key = generate();
        let public = public_bytes(&key);
        let master = [7u8; 16];
        let wrapped = wrap(&master, &key);
        assert_eq!(unwrap(&master, &wrapped, &public).unwrap().to_bytes(), key.to_bytes());
        assert!(matches!(unwrap(&[8u8; 16], &wrapped, &public), Err(EsignError::KeyDamaged)));
        let mut damaged = wrapped.clone();
        damaged[20] ^= 0x40;
        assert!(unwrap(&master, &damaged, &public).is_err());
        assert!(unwrap(&master, &wrapped[..20], &public).is_err());
        assert_ne!(master_check(&master), master_check(&[8u8; 16]));
    }
}
