//! A deadline on answers that do not drain: a connection wrapper whose
//! writes fail once they have made no progress for a while.
//!
//! hyper bounds how long reading the request headers may take, but not
//! writing the answer, so a client that asks and then never reads (its
//! receive window stays shut) would hold its connection slot forever. Here
//! a write that stays blocked for the limit fails with
//! [`std::io::ErrorKind::TimedOut`], and hyper closes the connection. Any
//! progress restarts the clock, so a slow but live reader is served.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::{sleep, Sleep};

/// `inner` whose writes fail after `limit` without progress.
pub struct WriteStallLimit<T> {
    inner: T,
    limit: Duration,
    /// Running while a write is blocked.
    stalled: Option<Pin<Box<Sleep>>>,
}

impl<T> WriteStallLimit<T> {
    /// Wraps `inner`; blocked writes fail after `limit`.
    pub fn new(inner: T, limit: Duration) -> WriteStallLimit<T> {
        WriteStallLimit {
            inner,
            limit,
            stalled: None,
        }
    }

    /// What a write returned, with the deadline applied to `Pending`.
    fn watch<R>(
        &mut self,
        cx: &mut Context<'_>,
        polled: Poll<io::Result<R>>,
    ) -> Poll<io::Result<R>> {
        if polled.is_ready() {
            self.stalled = None;
            return polled;
        }
        let limit = self.limit;
        let deadline = self.stalled.get_or_insert_with(|| Box::pin(sleep(limit)));
        match deadline.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                format!("the client read nothing of the answer for {limit:?}"),
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for WriteStallLimit<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for WriteStallLimit<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.watch(cx, polled)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.watch(cx, polled)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let polled = Pin::new(&mut self.inner).poll_flush(cx);
        self.watch(cx, polled)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let polled = Pin::new(&mut self.inner).poll_shutdown(cx);
        self.watch(cx, polled)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;
    use tokio::net::{TcpListener, TcpSocket, TcpStream};

    /// A loopback connection with small buffers, so writes block soon.
    async fn pair() -> (TcpStream, TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let socket = TcpSocket::new_v4().expect("socket");
        socket.set_send_buffer_size(4096).expect("send buffer");
        socket.set_recv_buffer_size(4096).expect("receive buffer");
        let address = listener.local_addr().expect("address");
        let (ours, theirs) = tokio::join!(socket.connect(address), listener.accept());
        (ours.expect("connect"), theirs.expect("accept").0)
    }

    async fn write_all<T: AsyncWrite + Unpin>(to: &mut T, mut bytes: &[u8]) -> io::Result<()> {
        while !bytes.is_empty() {
            let n = std::future::poll_fn(|cx| Pin::new(&mut *to).poll_write(cx, bytes)).await?;
            bytes = &bytes[n..];
        }
        Ok(())
    }

    #[tokio::test]
    async fn an_answer_nobody_reads_fails_after_the_limit() {
        let (ours, _theirs) = pair().await;
        let mut guarded = WriteStallLimit::new(ours, Duration::from_millis(200));
        let started = Instant::now();
        let written = tokio::time::timeout(
            Duration::from_secs(10),
            write_all(&mut guarded, &vec![0; 64 << 20]),
        )
        .await
        .expect("the write must not block for ever");
        assert_eq!(
            written.expect_err("the write must fail").kind(),
            io::ErrorKind::TimedOut
        );
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[tokio::test]
    async fn a_slow_reader_is_served_to_the_end() {
        let (ours, theirs) = pair().await;
        let size = 1 << 20;
        let reader = tokio::spawn(async move {
            let mut received = 0;
            let mut chunk = vec![0; 64 << 10];
            loop {
                // Pauses shorter than the limit, longer in total.
                tokio::time::sleep(Duration::from_millis(20)).await;
                theirs.readable().await.expect("readable");
                match theirs.try_read(&mut chunk) {
                    Ok(0) => return received,
                    Ok(n) => received += n,
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                    Err(e) => panic!("read: {e}"),
                }
            }
        });
        let mut guarded = WriteStallLimit::new(ours, Duration::from_millis(200));
        write_all(&mut guarded, &vec![7; size])
            .await
            .expect("written");
        drop(guarded);
        assert_eq!(reader.await.expect("reader"), size);
    }
}
