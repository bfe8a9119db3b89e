//! A client of NCALayer, the NCA RK's signing application, over its WebSocket on this
//! computer: module `kz.gov.pki.knca.basics`, method `sign`, format `cms`, detached. The
//! official chooses the key (file, Kaztoken, ID card) and types its password in NCALayer's own
//! window; this program never sees either.
//!
//! TLS: NCALayer serves `wss://127.0.0.1:13579` with a certificate of its own installation,
//! which no public root vouches for. The client therefore connects to loopback addresses only
//! (anything else is refused before connecting), does not check the server certificate's
//! issuer or name, and still checks the TLS handshake signatures. No one on the network can
//! stand in between on 127.0.0.1; a program on the same computer could, but it could as well
//! replace NCALayer itself — and every CMS that comes back is verified against the bytes sent
//! and its signer is shown and stored, so a wrong signer does not pass unseen.

use std::io::{Read, Write};
use std::net::{IpAddr, SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, ClientConnection, DigitallySignedStruct, SignatureScheme, StreamOwned};
use serde_json::{Value, json};
use tungstenite::{Message, WebSocket};

use super::{EdsError, Signer, cms};

/// Where NCALayer listens.
pub const DEFAULT_URL: &str = "wss://127.0.0.1:13579";

/// The key stores NCALayer may offer: key files and the tokens and ID cards NCA supports.
const STORAGES: [&str; 6] = [
    "PKCS12",
    "AKKaztokenStore",
    "AKKZIDCardStore",
    "AKEToken72KStore",
    "AKJaCartaStore",
    "AKAKEYStore",
];
/// Extended key usage of NCA signing certificates (the authentication key is not for this).
const SIGNING_EKU: &str = "1.3.6.1.5.5.7.3.4";

/// A connection-per-request client of NCALayer.
#[derive(Debug, Clone)]
pub struct NcaLayer {
    url: String,
    host: String,
    addr: SocketAddr,
    tls: bool,
    locale: String,
    /// How long the official may take in NCALayer's window.
    pub answer_timeout: Duration,
}

impl NcaLayer {
    /// A client for `url` (`wss://127.0.0.1:13579` unless set otherwise); `locale` is NCALayer's
    /// window language (`ru`, `kk`).
    pub fn new(url: &str, locale: &str) -> Result<Self, EdsError> {
        let url = url.trim();
        let (tls, rest) = if let Some(rest) = url.strip_prefix("wss://") {
            (true, rest)
        } else if let Some(rest) = url.strip_prefix("ws://") {
            (false, rest)
        } else {
            return Err(EdsError::NotLocal(url.into()));
        };
        let authority = rest.split('/').next().unwrap_or_default();
        // `[::1]:13579`, `127.0.0.1:13579`, `localhost` (the scheme's port).
        let (host, port) = match authority.strip_prefix('[') {
            Some(bracketed) => match bracketed.split_once(']') {
                Some((host, rest)) => (host, rest.strip_prefix(':')),
                None => return Err(EdsError::NotLocal(url.into())),
            },
            None => match authority.rsplit_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (authority, None),
            },
        };
        let port = match port {
            Some(port) => port
                .parse::<u16>()
                .map_err(|_| EdsError::NotLocal(url.into()))?,
            None if tls => 443,
            None => 80,
        };
        let host = host.to_string();
        let addr = if host.eq_ignore_ascii_case("localhost") {
            SocketAddr::from(([127, 0, 0, 1], port))
        } else {
            let ip: IpAddr = host.parse().map_err(|_| EdsError::NotLocal(url.into()))?;
            if !ip.is_loopback() {
                return Err(EdsError::NotLocal(url.into()));
            }
            SocketAddr::new(ip, port)
        };
        Ok(Self {
            url: url.to_string(),
            host,
            addr,
            tls,
            locale: locale.to_string(),
            answer_timeout: Duration::from_mins(10),
        })
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    fn protocol(&self, detail: impl Into<String>) -> EdsError {
        EdsError::NcaLayerProtocol {
            url: self.url.clone(),
            detail: detail.into(),
        }
    }

    fn connect(&self) -> Result<WebSocket<Box<dyn ReadWrite>>, EdsError> {
        let tcp = TcpStream::connect_timeout(&self.addr, Duration::from_secs(3)).map_err(|_| {
            EdsError::NcaLayerUnreachable {
                url: self.url.clone(),
            }
        })?;
        tcp.set_read_timeout(Some(Duration::from_secs(10)))
            .map_err(|e| self.protocol(e.to_string()))?;
        let stream: Box<dyn ReadWrite> = if self.tls {
            let config = ClientConfig::builder_with_provider(Arc::new(
                rustls::crypto::ring::default_provider(),
            ))
            .with_safe_default_protocol_versions()
            .map_err(|e| self.protocol(e.to_string()))?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(LoopbackVerifier::new()))
            .with_no_client_auth();
            let name = ServerName::try_from(self.host.clone())
                .map_err(|e| self.protocol(e.to_string()))?;
            let connection = ClientConnection::new(Arc::new(config), name)
                .map_err(|e| self.protocol(e.to_string()))?;
            Box::new(StreamOwned::new(connection, tcp))
        } else {
            Box::new(tcp)
        };
        let (socket, _) = tungstenite::client(self.url.as_str(), stream)
            .map_err(|e| self.protocol(e.to_string()))?;
        Ok(socket)
    }

    fn request(&self, items: &[&[u8]]) -> Value {
        let data: Vec<String> = items.iter().map(|i| STANDARD.encode(i)).collect();
        let data = match data.as_slice() {
            [one] => Value::String(one.clone()),
            _ => json!(data),
        };
        json!({
            "module": "kz.gov.pki.knca.basics",
            "method": "sign",
            "args": {
                "allowedStorages": STORAGES,
                "format": "cms",
                "data": data,
                "signingParams": {
                    "decode": true,
                    "encapsulate": false,
                    "digested": false,
                    "tsaProfile": null
                },
                "signerParams": {
                    "extKeyUsageOids": [SIGNING_EKU],
                    "chain": []
                },
                "locale": self.locale
            }
        })
    }

    /// The next JSON message, skipping pings and NCALayer's heartbeats.
    fn next_json(&self, socket: &mut WebSocket<Box<dyn ReadWrite>>) -> Result<Value, EdsError> {
        loop {
            let message = socket.read().map_err(|e| match e {
                tungstenite::Error::Io(io)
                    if matches!(
                        io.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) =>
                {
                    self.protocol("no answer in time")
                }
                other => self.protocol(other.to_string()),
            })?;
            let text = match message {
                Message::Text(text) => text.to_string(),
                Message::Binary(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
                Message::Close(_) => return Err(self.protocol("closed the connection")),
                Message::Ping(_) | Message::Pong(_) | Message::Frame(_) => continue,
            };
            match serde_json::from_str::<Value>(&text) {
                Ok(value @ Value::Object(_))
                    if value.as_object().is_some_and(|o| !o.is_empty()) =>
                {
                    return Ok(value);
                }
                _ => {}
            }
        }
    }
}

/// A stream for the WebSocket: TLS or, on `ws://`, the bare socket.
trait ReadWrite: Read + Write {
    fn set_timeout(&mut self, timeout: Duration) -> std::io::Result<()>;
}

impl ReadWrite for TcpStream {
    fn set_timeout(&mut self, timeout: Duration) -> std::io::Result<()> {
        self.set_read_timeout(Some(timeout))
    }
}

impl ReadWrite for StreamOwned<ClientConnection, TcpStream> {
    fn set_timeout(&mut self, timeout: Duration) -> std::io::Result<()> {
        self.sock.set_read_timeout(Some(timeout))
    }
}

/// What the answer to `sign` says.
fn answer(value: &Value, expected: usize) -> Result<Vec<Vec<u8>>, EdsError> {
    let status = value.get("status").and_then(Value::as_bool);
    let code = value
        .get("code")
        .map(|c| c.as_str().map_or_else(|| c.to_string(), str::to_string))
        .unwrap_or_default();
    let message = value
        .get("message")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let cancelled = |code: &str, message: &str| {
        let text = format!("{code} {message}").to_lowercase();
        text.contains("cancel") || text.contains("отмен")
    };
    if status == Some(false) {
        if cancelled(&code, &message) {
            return Err(EdsError::Cancelled);
        }
        return Err(EdsError::NcaLayerRefused { code, message });
    }
    let result = value
        .get("body")
        .and_then(|b| b.get("result"))
        .or_else(|| value.get("responseObject"));
    let items: Vec<&str> = match result {
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        Some(Value::String(one)) => vec![one.as_str()],
        // `status: true` with no result: the official closed the window.
        _ => return Err(EdsError::Cancelled),
    };
    if items.is_empty() {
        return Err(EdsError::Cancelled);
    }
    if items.len() != expected {
        return Err(EdsError::Malformed(format!(
            "{} signatures for {expected} documents",
            items.len()
        )));
    }
    items
        .into_iter()
        .map(|b64| {
            let clean: String = b64
                .lines()
                .filter(|l| !l.starts_with("-----"))
                .flat_map(str::split_whitespace)
                .collect();
            STANDARD
                .decode(clean)
                .map_err(|e| EdsError::Malformed(e.to_string()))
        })
        .collect()
}

impl Signer for NcaLayer {
    fn sign(&mut self, items: &[&[u8]]) -> Result<Vec<Vec<u8>>, EdsError> {
        if items.is_empty() {
            return Ok(Vec::new());
        }
        let mut socket = self.connect()?;
        // NCALayer greets with its version: {"result":{"version":"1.4"}}.
        let greeting = self.next_json(&mut socket)?;
        if greeting.pointer("/result/version").is_none() {
            return Err(self.protocol("no version greeting"));
        }
        socket
            .send(Message::text(self.request(items).to_string()))
            .map_err(|e| self.protocol(e.to_string()))?;
        socket
            .get_mut()
            .set_timeout(self.answer_timeout)
            .map_err(|e| self.protocol(e.to_string()))?;
        let reply = self.next_json(&mut socket)?;
        let _ = socket.close(None);
        let signatures = answer(&reply, items.len())?;
        // What came back must sign what was sent.
        for (item, signature) in items.iter().zip(&signatures) {
            let parsed = cms::parse(signature)?;
            let checked = parsed.check(item, &[]);
            if checked.digest_matches == Some(false) || checked.signature_verifies == Some(false) {
                return Err(EdsError::SignatureMismatch);
            }
        }
        Ok(signatures)
    }
}

/// Accepts the server certificate of a loopback NCALayer (see the module's documentation) but
/// checks the handshake signatures made with it.
#[derive(Debug)]
struct LoopbackVerifier {
    algorithms: rustls::crypto::WebPkiSupportedAlgorithms,
}

impl LoopbackVerifier {
    fn new() -> Self {
        Self {
            algorithms: rustls::crypto::ring::default_provider().signature_verification_algorithms,
        }
    }
}

impl ServerCertVerifier for LoopbackVerifier {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_computer() {
        assert!(NcaLayer::new(DEFAULT_URL, "ru").is_ok());
        assert!(NcaLayer::new("wss://localhost:13579", "kk").is_ok());
        assert!(NcaLayer::new("wss://[::1]:13579", "kk").is_ok());
        assert!(NcaLayer::new("wss://[::1]", "kk").is_ok());
        assert!(NcaLayer::new("ws://127.0.0.1:13579/", "ru").is_ok());
        assert!(matches!(
            NcaLayer::new("wss://127.0.0.1:port", "ru"),
            Err(EdsError::NotLocal(_))
        ));
        assert!(matches!(
            NcaLayer::new("https://127.0.0.1:13579", "ru"),
            Err(EdsError::NotLocal(_))
        ));
        assert!(matches!(
            NcaLayer::new("wss://10.0.0.5:13579", "ru"),
            Err(EdsError::NotLocal(_))
        ));
        assert!(matches!(
            NcaLayer::new("wss://example.kz:13579", "ru"),
            Err(EdsError::NotLocal(_))
        ));
    }

    #[test]
    fn answers_are_read_as_ncalayer_gives_them() {
        let one = json!({"status": true, "body": {"result": ["MAMCAQU="]}});
        assert_eq!(
            answer(&one, 1),
            Ok(vec![vec![0x30, 0x03, 0x02, 0x01, 0x05]])
        );
        let cancel = json!({"status": true, "body": {}});
        assert_eq!(answer(&cancel, 1), Err(EdsError::Cancelled));
        let cancel2 = json!({"status": false, "code": "USER_CANCELED", "message": ""});
        assert_eq!(answer(&cancel2, 1), Err(EdsError::Cancelled));
        let error = json!({"status": false, "code": "500", "message": "Токен не найден"});
        assert_eq!(
            answer(&error, 1),
            Err(EdsError::NcaLayerRefused {
                code: "500".into(),
                message: "Токен не найден".into()
            })
        );
    }
}
