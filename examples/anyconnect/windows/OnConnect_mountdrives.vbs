' OnConnect_mountdrives.vbs
' Runs after the VPN tunnel comes up: maps the team share to Z:.
' Install in %ALLUSERSPROFILE%\Cisco\Cisco Secure Client\VPN\Script\
Set objShell = CreateObject("WScript.Shell")
objShell.Run "net use Z: \\server\share /persistent:no", 0, True
objShell.LogEvent 0, "VPN: Mounted network drives"
