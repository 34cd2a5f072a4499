package comfy.workbench.benchmarks;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * A bare Netty 4.2 WebSocket client (NIO, one event loop) that only counts whole messages, decoding text to a
 * {@code String} as the JDK and Jetty readers do: the third candidate transport measured by {@link WebSocketFloodBench}.
 */
final class NettyCountingClient implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

    interface Sink {
        void message(long size);
    }

    Channel connect(URI uri, Sink sink) throws Exception {
        CompletableFuture<Void> open = new CompletableFuture<>();
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class).handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(65536),
                        new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder().webSocketUri(uri)
                                .maxFramePayloadLength(64 << 20).handleCloseFrames(true).build()),
                        new SimpleChannelInboundHandler<WebSocketFrame>() {
                            long partial;

                            @Override
                            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
                                if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                                    open.complete(null);
                                }
                                super.userEventTriggered(ctx, evt);
                            }

                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame f) {
                                if (f instanceof TextWebSocketFrame || f instanceof BinaryWebSocketFrame || f instanceof ContinuationWebSocketFrame) {
                                    int n = f instanceof BinaryWebSocketFrame ? f.content().readableBytes()
                                            : f.content().toString(StandardCharsets.UTF_8).length();
                                    partial += n;
                                    if (f.isFinalFragment()) {
                                        sink.message(partial);
                                        partial = 0;
                                    }
                                }
                            }
                        });
            }
        });
        Channel ch = b.connect(uri.getHost(), uri.getPort()).sync().channel();
        open.get(10, TimeUnit.SECONDS);
        return ch;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
