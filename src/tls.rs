//! The client side of `wss://`, one for `probe` and `proxy`: rustls on
//! ring, trusting the webpki roots (Mozilla's) plus, when asked, the
//! certificates of one PEM file (`proxy --upstream-ca`, `probe --ca`): a
//! private certificate authority, such as a test server's. Verification
//! is never turned off.

use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use rustls::{ClientConfig, RootCertStore};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::handshake::client::Response;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Error as WsError;
use tokio_tungstenite::{Connector, MaybeTlsStream, WebSocketStream};

/// A client connection as `probe` and `proxy` hold it (`ws://` or `wss://`).
pub type ClientStream = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// What `wss://` connections trust; cheap to clone.
#[derive(Clone, Debug)]
pub struct Tls {
    config: Arc<ClientConfig>,
}

impl Tls {
    /// The webpki roots only.
    pub fn webpki() -> Tls {
        Tls::new(None).expect("ring offers TLS 1.2 and 1.3, and no file is read")
    }

    /// The webpki roots, plus every certificate of the PEM file `extra`
    /// when given; `Err` names the file and what is wrong with it.
    pub fn new(extra: Option<&Path>) -> Result<Tls, String> {
        let mut roots = RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        if let Some(path) = extra {
            let shown = path.display();
            let certificates: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(path)
                .and_then(|certs| certs.collect::<Result<_, _>>())
                .map_err(|err| format!("{shown}: {err}"))?;
            if certificates.is_empty() {
                return Err(format!(
                    "{shown}: no PEM certificate (`-----BEGIN CERTIFICATE-----`)"
                ));
            }
            for certificate in certificates {
                roots
                    .add(certificate)
                    .map_err(|err| format!("{shown}: not a usable certificate: {err}"))?;
            }
        }
        // The provider is named rather than taken from the process default,
        // so that another crate enabling another provider changes nothing.
        let config =
            ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
                .with_safe_default_protocol_versions()
                .map_err(|err| format!("TLS: {err}"))?
                .with_root_certificates(roots)
                .with_no_client_auth();
        Ok(Tls {
            config: Arc::new(config),
        })
    }

    /// Opens a WebSocket to the request's `ws://` or `wss://` URL (with
    /// Nagle's algorithm off: frames go out as they are written).
    pub async fn connect(
        &self,
        request: impl IntoClientRequest + Unpin,
        config: WebSocketConfig,
    ) -> Result<(ClientStream, Response), WsError> {
        tokio_tungstenite::connect_async_tls_with_config(
            request,
            Some(config),
            true,
            Some(Connector::Rustls(Arc::clone(&self.config))),
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_without_certificates_is_refused_by_name() {
        let dir = std::env::temp_dir().join(format!("rh-tls-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let empty = dir.join("empty.pem");
        std::fs::write(&empty, "not a certificate\n").unwrap();
        let err = Tls::new(Some(&empty)).unwrap_err();
        assert!(err.contains("empty.pem") && err.contains("no PEM"), "{err}");
        let missing = dir.join("missing.pem");
        assert!(Tls::new(Some(&missing))
            .unwrap_err()
            .contains("missing.pem"));
        let _ = Tls::webpki();
    }
}
