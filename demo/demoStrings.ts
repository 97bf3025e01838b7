import type { UploaderLocale } from '../src';

const en = {
  product: 'Acme Cloud Support',
  tagline: 'Attachments go straight from your browser to object storage (a local OSS emulator here).',
  language: 'Language',
  newTicket: 'New ticket',
  title: 'Title',
  titlePlaceholder: 'Short summary of the problem',
  description: 'Description',
  descriptionPlaceholder: 'What happened, what you expected, and any error messages',
  attachments: 'Attachments',
  attachmentsHelp: 'Screenshots, logs or PDFs help us answer faster.',
  submit: 'Submit ticket',
  submitting: 'Submitting…',
  waitForUploads: 'Waiting for uploads to finish…',
  failedAttachments: (count: number) =>
    count === 1 ? '1 attachment failed — submit without it?' : `${count} attachments failed — submit without them?`,
  submitWithoutFailed: (count: number): string => (count === 1 ? 'Submit without it' : 'Submit without them'),
  goBack: 'Go back',
  reply: 'Reply',
  replyLabel: 'Your reply',
  replyPlaceholder: 'Add details or answer our questions',
  sendReply: 'Send reply',
  ticket: 'Ticket',
  replies: 'Replies',
  noAttachments: 'No attachments',
  newTicketAgain: 'Open another ticket',
  required: 'Please describe the problem.',
  network: 'Network conditions',
  networkHelp: 'Simulate a slow or unreliable connection to storage, and short-lived authorizations.',
  // What the knob really does: the emulator reads the body this slowly. On loopback the operating
  // system's socket buffers take a 2 MB body at once, so the browser's progress (bytes handed to the
  // socket) reaches 100 % immediately; a page cannot shrink those buffers, so the demo says so.
  bandwidth: 'Storage read speed',
  bandwidthHelp:
    'The emulator reads each upload at this speed. On this computer the browser hands the whole file to the system at once, so the bar fills immediately and the wait shows as “Saving…”. Over a real network the bar moves with the bytes.',
  unlimited: 'Unlimited',
  latency: 'Added latency',
  failureRate: 'Server errors (503)',
  dropRate: 'Dropped connections',
  lifetime: 'Authorization lifetime',
  forceExpired: 'Answer “Policy expired” to the next upload',
  forced: 'Next upload will be refused once',
  authRequests: (count: number) => `Authorization requests so far: ${count}`,
  off: 'Off',
  workOrderApi: 'Work Order API',
  workOrderApiHelp: 'Which API new tickets go through. A reply always goes through the API its ticket was created with.',
  apiPostPolicy: '2016-08-30 (POST policy)',
  apiPresignedPut: '2021-06-10 (presigned PUT)',
  attachmentsReset: (from: string, to: string) =>
    `Attachments removed: files uploaded for Work Order API ${from} cannot be sent with ${to}. Please attach them again.`,
  ticketApi: (version: string) => `Work Order API ${version}`,
  workOrderFaults: 'Work Order API',
  workOrderFaultsHelp:
    'Faults of the local Work Order API behind the demo backend. Slow answers and the clock apply to both versions; SYSTEM_BUSY and ILLEGAL_AUTH are errors of 2016-08-30 (getOSSTempAuthor, add, QuestionReply).',
  workOrderLatency: 'Slow answers',
  workOrderClock: 'Gateway clock',
  clockInSync: 'In sync',
  clockAhead: (minutes: number) => `${minutes} min ahead`,
  clockAheadRefused: (minutes: number) => `${minutes} min ahead (refused: InvalidTimeStamp.Expired)`,
  nextSystemBusy: 'Answer SYSTEM_BUSY to the next 2016-08-30 call',
  nextIllegalAuth: 'Answer ILLEGAL_AUTH to the next 2016-08-30 call',
  pendingWorkOrderFaults: (systemBusy: number, illegalAuth: number) =>
    [systemBusy > 0 ? `SYSTEM_BUSY pending: ${systemBusy}` : '', illegalAuth > 0 ? `ILLEGAL_AUTH pending: ${illegalAuth}` : '']
      .filter(Boolean)
      .join(' · '),
};

export type DemoStrings = typeof en;

const zhCN: DemoStrings = {
  product: 'Acme 云支持中心',
  tagline: '附件由浏览器直接上传到对象存储（此处为本地 OSS 模拟器）。',
  language: '语言',
  newTicket: '新建工单',
  title: '标题',
  titlePlaceholder: '简要描述问题',
  description: '问题描述',
  descriptionPlaceholder: '发生了什么、期望的结果，以及错误信息',
  attachments: '附件',
  attachmentsHelp: '截图、日志或 PDF 能帮助我们更快答复。',
  submit: '提交工单',
  submitting: '正在提交…',
  waitForUploads: '请等待附件上传完成…',
  failedAttachments: (count: number) => `${count} 个附件上传失败。仍要提交吗？失败的附件不会随之提交。`,
  submitWithoutFailed: () => '仍然提交',
  goBack: '返回',
  reply: '回复',
  replyLabel: '回复内容',
  replyPlaceholder: '补充信息或回答我们的问题',
  sendReply: '发送回复',
  ticket: '工单',
  replies: '回复',
  noAttachments: '无附件',
  newTicketAgain: '再提交一个工单',
  required: '请填写问题描述。',
  network: '网络条件',
  networkHelp: '模拟到存储服务的慢速或不稳定连接，以及短时有效的授权。',
  bandwidth: '存储读取速度',
  bandwidthHelp:
    '模拟器按此速度读取每个上传。在本机上，浏览器会把整个文件一次性交给系统，所以进度条会立即填满，等待的时间显示为“正在保存…”。在真实网络中，进度条会随数据传输逐步前进。',
  unlimited: '不限',
  latency: '附加延迟',
  failureRate: '服务器错误（503）',
  dropRate: '连接中断',
  lifetime: '授权有效期',
  forceExpired: '让下一次上传返回“Policy expired”',
  forced: '下一次上传将被拒绝一次',
  authRequests: (count: number) => `已请求授权次数：${count}`,
  off: '关闭',
  workOrderApi: '工单 API',
  workOrderApiHelp: '新建工单使用的 API 版本。回复始终使用创建该工单时的 API。',
  apiPostPolicy: '2016-08-30（POST 策略）',
  apiPresignedPut: '2021-06-10（预签名 PUT）',
  attachmentsReset: (from: string, to: string) => `附件已移除：为工单 API ${from} 上传的文件不能通过 ${to} 提交。请重新添加附件。`,
  ticketApi: (version: string) => `工单 API ${version}`,
  workOrderFaults: '工单 API',
  workOrderFaultsHelp:
    '演示后端所调用的本地工单 API 的故障。响应变慢和时钟偏差对两个版本都有效；SYSTEM_BUSY 和 ILLEGAL_AUTH 是 2016-08-30 版本（getOSSTempAuthor、add、QuestionReply）的错误。',
  workOrderLatency: '响应变慢',
  workOrderClock: '网关时钟',
  clockInSync: '同步',
  clockAhead: (minutes: number) => `快 ${minutes} 分钟`,
  clockAheadRefused: (minutes: number) => `快 ${minutes} 分钟（拒绝：InvalidTimeStamp.Expired）`,
  nextSystemBusy: '让下一次 2016-08-30 调用返回 SYSTEM_BUSY',
  nextIllegalAuth: '让下一次 2016-08-30 调用返回 ILLEGAL_AUTH',
  pendingWorkOrderFaults: (systemBusy: number, illegalAuth: number) =>
    [systemBusy > 0 ? `待返回 SYSTEM_BUSY：${systemBusy}` : '', illegalAuth > 0 ? `待返回 ILLEGAL_AUTH：${illegalAuth}` : '']
      .filter(Boolean)
      .join(' · '),
};

export const demoStrings: Record<UploaderLocale, DemoStrings> = { en, 'zh-CN': zhCN };
