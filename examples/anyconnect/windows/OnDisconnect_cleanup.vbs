' OnDisconnect_cleanup.vbs
' Runs after the VPN tunnel goes down: removes the Z: mapping.
Set objShell = CreateObject("WScript.Shell")
objShell.Run "net use Z: /delete /yes", 0, True
objShell.LogEvent 0, "VPN: Unmounted network drives"
