"""微信客服 (kf): reading customers' messages into the inbox, and answering within WeCom's
send budget."""
