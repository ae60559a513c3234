"""A faithful stand-in for Alibaba Cloud CAMS on loopback, for tests and for users' CI."""
