<?php
namespace MediaWiki\Extension\Herald;

/**
 * Posts {topic, data} to a Herald relay's HTTP inbound (no ZeroMQ extension needed). The relay
 * checks the message, signs it with its own key and republishes it. A failure never breaks the
 * wiki: it is written to PHP's error log with the message, so nothing is lost silently.
 */
class RelayClient {
	public static function publish( string $event, array $data ): void {
		global $wgHeraldRelayUrl, $wgHeraldTopicPrefix, $wgHeraldTimeoutSeconds;
		$body = json_encode(
			[ 'topic' => "$wgHeraldTopicPrefix.$event", 'source' => '/wiki/' . gethostname(), 'data' => $data ],
			JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE
		);
		$context = stream_context_create( [ 'http' => [
			'method' => 'POST',
			'header' => "Content-Type: application/json\r\n",
			'content' => $body,
			'timeout' => $wgHeraldTimeoutSeconds,
			'ignore_errors' => true,
		] ] );
		$answer = @file_get_contents( $wgHeraldRelayUrl, false, $context );
		$status = isset( $http_response_header[0] ) ? $http_response_header[0] : 'no answer';
		if ( $answer === false || strpos( $status, ' 200 ' ) === false ) {
			error_log( "Herald: the relay at $wgHeraldRelayUrl did not take $event ($status: $answer): $body" );
		}
	}
}
